"""Statement dates: when someone said something ("The Kremlin on Monday ruled out ...").

A date governed by a speech verb ("said Tuesday", "on Friday dismissed", "ruled out on
Monday") is the date of a statement, not of an event. A statement is identified by its
speaker and by what was said: a quotation of eight words or more the quote check would
match (a stock line is said on many days), or the same people spoken of with content words
and a phrase in common. The same speaker saying much the same on another
day, about other people, is another statement, and silence.

Without an article date a bare weekday ("on Monday") is still a value: any full date has a
weekday, and two weekdays of one statement compare.

In a corpus article, a statement without a date of its own takes the date of the statement
beside it (the paragraph before or after) by the same speaker, or by someone whose title
names the speaker: "... the Kremlin said." and "'...,' Kremlin spokesman Dmitry Peskov said
Tuesday." are one statement, made on Tuesday.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from factlint.comparisons import same_quotation
from factlint.doctools import span_ents, span_tokens
from factlint.factdb import content_term
from factlint.facts import Fact
from factlint.names import norm_word
from factlint.quotes import quote_words
from factlint.values import WEEKDAYS, dates_agree, dates_comparable

if TYPE_CHECKING:
    from factlint.extract import _Ctx

STATEMENT = "statement"
SHARED_CONTENT = 2  # content words two reports of one statement share, beyond its people
QUOTE_WORDS = 8  # the words of a quotation that identifies one statement by itself


class StatementDateExtraction:
    """Mixed into ``Extractor``: the key of a statement, and the corpus pass that dates a
    statement by the one beside it."""

    def _is_stance(self, tok: Any) -> bool:
        """A verb that reports a position with its particle: "ruled out" (the rules'
        ``speech.stance_verbs``)."""
        particles = self.stance_verbs.get(tok.lemma_.lower())
        return bool(particles) and tok.pos_ == "VERB" and any(
            c.dep_ == "prt" and c.lower_ in particles for c in tok.children)

    def _statement_key(self, ctx: _Ctx, sent: Any, verb: Any,
                       skip: tuple[int, int] | None = None) -> dict[str, Any] | None:
        """Who made the statement of ``verb`` and what it was about (None: no speaker)."""
        from factlint.extract import _State

        speaker, mention = self._speaker_of_verb(ctx, verb, _State(), sent)
        if speaker is None:
            return None
        tokens = self._clause(ctx, sent, verb)
        span = {t.i for t in tokens}
        persons = sorted({m.person for m in ctx.mentions if m.start in span
                          and m.person and m.person != speaker})
        org = {norm_word(w) for w in speaker[4:].split()} if speaker.startswith("org:") \
            else set()

        def said(t: Any) -> bool:  # a word of what was said
            return t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ") and not t.is_stop \
                and t.i != verb.i and not ctx.mention_covering(t.idx) \
                and not _names_part(ctx, t) \
                and t.lemma_.lower() not in self.speech_verbs and not t.like_num \
                and t.lower_ not in WEEKDAYS and norm_word(t.text) not in org \
                and not (skip and skip[0] <= t.idx < skip[1])

        words = [t for t in tokens if said(t)]
        content = sorted({t.lemma_.lower() for t in words})
        # two words of it side by side ("the near future"): what tells one statement from
        # the same speaker's others on the subject
        phrases = sorted({f"{a.lemma_.lower()} {b.lemma_.lower()}"
                          for a, b in zip(words, words[1:], strict=False) if b.i == a.i + 1})
        quotes = [" ".join(quote_words(ctx.text[q.start:q.end])) for q in ctx.quotes
                  if any(q.start <= t.idx < q.end for t in tokens)]
        who = speaker[4:] if speaker.startswith("org:") else self.people.name(speaker)
        return {"event": STATEMENT, "label": f"the date of the statement by {who}",
                "speaker": speaker, "voice": _voice(ctx, mention),
                "persons": persons, "content": content, "phrases": phrases, "quotes": quotes,
                "args": [], "object": []}

    def _clause(self, ctx: _Ctx, sent: Any, verb: Any) -> list[Any]:
        """What one statement of the sentence covers: the whole sentence, unless it reports
        another statement of another time ("X said Monday ..., and she said Thursday ...");
        then the verb's own subtree without the other's. ("Ruled out X, saying Y" is one.)"""
        others = [t for t in self._speech_verbs(ctx, list(sent)) if t.i != verb.i
                  and any(_timed(x) for x in t.subtree) and verb not in t.subtree]
        if not others:
            return list(sent)
        inside = {t.i for t in verb.subtree}
        for other in others:
            if other.i in inside:
                inside -= {t.i for t in other.subtree}
        return [t for t in span_tokens(sent) if t.i in inside]

    def _undated_statements(self, ctx: _Ctx, sent: Any) -> list[tuple[_Ctx, Any, Any]]:
        """The statements of a sentence whose verb governs no date, as (context, sentence,
        verb): their keys are worked out only where a dated statement is beside them."""
        verbs = self._speech_verbs(ctx, span_tokens(sent))
        text = ctx.sentence_text(sent).lower()
        if self.stance_verbs and any(p in text for p in self._stance_particles):
            verbs += [t for t in span_tokens(sent)
                      if self._is_stance(t) and not ctx.inq.inside(t.idx)]
        return [(ctx, sent, v) for v in verbs if v.i not in ctx.dated_verbs
                and v.dep_ not in ("acl", "amod")  # "a woman admitted to hospital"
                and (self._is_statement(v) or self._is_stance(v)) and not _own_time(sent, v)]

    def _date_statements(self, undated: list[tuple[int, tuple[_Ctx, Any, Any]]],
                         dated: list[tuple[int, Fact]]) -> list[Fact]:
        """Corpus pass: an undated statement (paragraph n) dated by the speaker's, or their
        office's, dated statement in paragraph n + 1, else n - 1."""
        out: list[Fact] = []
        done: set[tuple[int, str]] = set()  # one statement per paragraph and speaker
        beside = {p + d for p, _ in dated for d in (-1, 1)}
        for para, (ctx, sent, verb) in undated:
            if para not in beside:
                continue
            key = self._statement_key(ctx, sent, verb)
            if key is None or (para, key["speaker"]) in done:
                continue
            for near in (para + 1, para - 1):
                match = next((f for p, f in dated if p == near and _one_voice(key, f.key)),
                             None)
                if match is not None:
                    merged = {**key,
                              "persons": sorted(set(key["persons"]) | set(match.key["persons"])
                                                - {key["speaker"], match.key["speaker"]}),
                              "content": sorted(set(key["content"]) | set(match.key["content"])),
                              "phrases": sorted(set(key["phrases"]) | set(match.key["phrases"])),
                              "quotes": key["quotes"] + match.key["quotes"]}
                    out.append(Fact("date", merged, match.value, match.prov, match.span,
                                    match.value_span, dict(match.extra)))
                    done.add((para, key["speaker"]))
                    break
        return out


def _timed(tok: Any) -> bool:
    return tok.ent_type_ in ("DATE", "TIME") or tok.lower_ in WEEKDAYS


def _own_time(sent: Any, verb: Any) -> bool:
    """Was the statement made at a time of its own: one no date value reads ("said last
    week", "said over the weekend"), or before ("has repeatedly said", "had said")? It is
    then not the occasion of the dated statement beside it."""
    if any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children):
        return True
    for ent in span_ents(sent):
        if ent.label_ in ("DATE", "TIME"):
            head = ent.root.head
            if head.i == verb.i or (head.dep_ == "prep" and head.head.i == verb.i):
                return True
    return False


def _names_part(ctx: _Ctx, tok: Any) -> bool:
    """A word of a title or name around a person's name ("Prime Minister Elena Varga"):
    not what was said."""
    for _ in range(4):
        if tok.dep_ not in _NAME_DEPS or tok.head.i == tok.i:
            return False
        tok = tok.head
        if ctx.mention_covering(tok.idx):
            return True
    return False


_NAME_DEPS = ("compound", "amod", "nmod", "appos", "poss", "flat")


def _voice(ctx: _Ctx, mention: Any) -> list[str]:
    """The words naming a person speaker's office where the sentence names them ("Kremlin
    spokesman Dmitry Peskov", "Peskov, the Kremlin's spokesman")."""
    if mention is None:
        return []
    head = ctx.doc[mention.end - 1]
    words = []
    for child in head.children:
        if child.dep_ in ("compound", "appos", "amod", "nmod", "poss"):
            words.extend(norm_word(t.text) for t in child.subtree
                         if not mention.start <= t.i < mention.end
                         and t.pos_ in ("PROPN", "NOUN", "ADJ"))
    return sorted(set(words))


def _one_voice(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """The same speaker, or an office and a person the sentence names as speaking for it
    ("the Kremlin" and "Kremlin spokesman Dmitry Peskov")."""
    if a["speaker"] == b["speaker"]:
        return True
    for org, person in ((a, b), (b, a)):
        if org["speaker"].startswith("org:") and not person["speaker"].startswith("org:"):
            words = {norm_word(w) for w in org["speaker"][4:].split()}
            if words and words <= set(person.get("voice") or []):
                return True
    return False


def statement_terms(key: dict[str, Any]) -> list[str]:
    """Lookup terms of a statement date: its speaker with each content word."""
    return [content_term(key["speaker"], w) for w in key.get("content") or []]


def weekday_of(v: dict[str, Any]) -> int | None:
    """The weekday a date value gives: a bare weekday, or a full date's."""
    if v.get("weekday") is not None:
        return int(v["weekday"])
    if v.get("year") and v.get("m_lo") and v.get("m_lo") == v.get("m_hi") and v.get("day"):
        try:
            return dt.date(v["year"], v["m_lo"], v["day"]).weekday()
        except ValueError:
            return None
    return None


def statement_dates_comparable(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return dates_comparable(a, b) or (weekday_of(a) is not None and weekday_of(b) is not None)


def statement_dates_agree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if dates_comparable(a, b) and not dates_agree(a, b):
        return False
    wa, wb = weekday_of(a), weekday_of(b)
    return wa is None or wb is None or wa == wb


class StatementDateCheck:
    """Mixed into ``Checker``: a statement's date against the corpus's for the same
    statement."""

    def check_statement_date(self, claim: Fact) -> list[Any]:
        key = claim.key
        cands = []
        for f in self.index.lookup("date", STATEMENT, statement_terms(key)):
            score = self._same_statement_of(key, f.key)
            if score and statement_dates_comparable(claim.value, f.value):
                cands.append((score, f))
        if not cands:
            return []
        return self._verdict("date", claim, cands,
                             lambda v: statement_dates_agree(claim.value, v),
                             statement_dates_agree)

    def _same_statement_of(self, key: dict[str, Any], fk: dict[str, Any]) -> int:
        """3: a quotation of ``QUOTE_WORDS`` or more the quote check would match; 2: the
        people spoken of (two or more, all of the draft's), content words and a phrase in
        common; 0: another statement."""
        if key["speaker"] != fk.get("speaker"):
            return 0
        for q in key.get("quotes") or []:
            words = q.split()
            if len(words) < QUOTE_WORDS:
                continue  # a stock line ("we will not be intimidated") is said on many days
            if any(same_quotation(words, cq, self.quote_match)
                   for cq in fk.get("quotes") or []):
                return 3
        persons = set(key.get("persons") or [])
        if len(persons) < 2 or not persons <= set(fk.get("persons") or []):
            return 0
        shared = [w for w in set(key.get("content") or []) & set(fk.get("content") or [])
                  if not self.common(w)]
        phrases = set(key.get("phrases") or []) & set(fk.get("phrases") or [])
        return 2 if len(shared) >= SHARED_CONTENT and phrases else 0
