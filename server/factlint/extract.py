"""Extracting typed facts from parsed paragraphs: quotes, roles, dates, counts, places.

The same extraction runs on the corpus (facts) and on drafts (claims). It walks a document's
paragraphs in order, keeping the person in focus so that "he said" after a named speaker, and
title-only mentions ("Ukraine's president"), resolve to a person.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from factlint.doctools import doc_ents, sentences, span_ents, span_tokens
from factlint.doctools import sent_at as _sent_at
from factlint.doctools import token_at as _token_at
from factlint.facts import Fact
from factlint.frames import frame_lexicon
from factlint.kinds.age import AgeExtraction
from factlint.kinds.count import CountExtraction
from factlint.kinds.date import DateExtraction
from factlint.kinds.place import PlaceExtraction
from factlint.kinds.role import RoleExtraction
from factlint.kinds.statement_date import StatementDateExtraction
from factlint.kinds.travel import TravelExtraction
from factlint.names import norm_word
from factlint.people import Mention, PeopleRegistry
from factlint.quotes import QuoteSpan, find_quotes, quote_words
from factlint.rules import EventRule, RuleSet
from factlint.titles import AGREE, Title, TitleLexicon
from factlint.values import ValueReader

_DATELINE_RE = re.compile(r"^([A-Z][A-Z .'’-]+[A-Z](?:,\s*[A-Z][\w .]+)?)\s*(?:\([^)]*\))?"
                          r"\s*[-–—]\s")
ANCHOR_LABELS = {"GPE", "LOC", "NORP", "ORG", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
SUBJ_DEPS = {"nsubj", "nsubjpass"}
NEGATIONS = {"not", "never", "n't", "no"}


@dataclass
class Paragraph:
    doc: Any  # spaCy Doc of the paragraph text
    offset: int  # offset of the paragraph in its file


_HEADS = ("head-of-state", "head-of-government")
# the key of the persons who may hold a leader's post, in RoleIndex._holding: a title of a
# head of state or government, or a generic one ("leader")
_LEADING = object()


@dataclass
class RoleIndex:
    """Known titles per person (from the corpus), for title-only resolution and role checks.
    ``titles`` changes only through :meth:`add`."""

    titles: dict[str, list[Title]] = field(default_factory=dict)
    # the titles :meth:`holders` was asked about, while an index records what a document's
    # extraction read (see factlint.index.reads)
    reads: set[str] | None = field(default=None, compare=False, repr=False)
    # the persons with a title of each office (and :data:`_LEADING`), in the order of
    # ``titles``: made when first asked, dropped by add()
    _holding: dict[object, list[str]] | None = field(default=None, compare=False, repr=False)

    def add(self, person: str, title: Title) -> None:
        self.titles.setdefault(person, [])
        if title not in self.titles[person]:
            self.titles[person].append(title)
            self._holding = None

    def _of(self, key: object) -> list[str]:
        """The persons with a title of office ``key`` (or :data:`_LEADING`), in the order
        of ``titles``."""
        if self._holding is None:
            holding: dict[object, list[str]] = {}
            for pid, titles in self.titles.items():
                held: set[object] = {k.office for k in titles}
                if any(k.generic or k.office in _HEADS for k in titles):
                    held.add(_LEADING)
                for office in held:
                    holding.setdefault(office, []).append(pid)
            self._holding = holding
        return self._holding.get(key, [])

    def holders(self, title: Title, lexicon: TitleLexicon) -> list[str]:
        """The persons known to hold an office this title-only mention can name ("the
        president", "Ukraine's foreign minister"), in the index's order. Only the persons
        with a title of a fitting office are tried (not every person of the corpus)."""
        if self.reads is not None:
            self.reads.add(json.dumps(title.to_json(), sort_keys=True))
        candidates: list[str] = []
        leader = lexicon.names_leader(title)
        if not leader and title.generic:
            return candidates
        for pid in self._of(_LEADING if leader else title.office):
            for k in self.titles[pid]:
                if leader:
                    ok = (k.office in _HEADS or (k.generic and lexicon.names_leader(k))) \
                        and bool(k.scope) and lexicon.scopes_compatible(title, k)
                else:
                    ok = (k.office == title.office and set(k.rank) == set(title.rank)
                          and lexicon.scopes_compatible(title, k)
                          and lexicon.relation(title, k) == AGREE)
                if ok:
                    candidates.append(pid)
                    break
        return candidates


ProvFactory = Callable[[int, int], Any]  # (abs start, abs end) of the sentence -> Provenance
# focus, pending speaker, recent people, the people of the last sentence
State = tuple[str | None, str | None, tuple[str, ...], tuple[str, ...]]
INITIAL_STATE: State = (None, None, (), ())


class Extractor(RoleExtraction, DateExtraction, StatementDateExtraction, CountExtraction,
                AgeExtraction, PlaceExtraction, TravelExtraction):
    def __init__(self, rules: RuleSet, people: PeopleRegistry, roles: RoleIndex,
                 allow_new: bool = False) -> None:
        self.rules = rules
        self.people = people
        self.roles = roles
        self.allow_new = allow_new
        self.titles: TitleLexicon = people.titles
        self.values = ValueReader(rules)
        self.speech_verbs = {w.lower() for w in rules.words("speech", "verbs")}
        self.pronouns = {w.lower() for w in rules.words("speech", "pronouns")}
        self.statement_nouns = {w.lower() for w in rules.words("speech", "statement_nouns")}
        self.stance_verbs = {str(k).lower(): {str(w).lower() for w in v or []} for k, v in
                             (rules.section("speech").get("stance_verbs") or {}).items()}
        self._stance_particles = {p for ps in self.stance_verbs.values() for p in ps}
        self.min_quote_words = int(rules.section("speech").get("min_quote_words", 4))
        self.events = rules.events
        self.frames = frame_lexicon(rules)
        # the article's own date: relative dates ("on Friday") are resolved against it
        self.ref_date: dt.date | None = None
        self.count_ignore_mods = {str(w).lower() for w in
                                  rules.section("numbers").get("ignore_mods") or []}
        self.generic_things = {str(w).lower() for w in
                               rules.section("numbers").get("generic_things") or []}
        places = rules.section("places")
        self.place_nouns = {str(w).lower() for w in places.get("place_nouns") or []}
        self.locating = {str(w).lower() for w in places.get("locating") or []}
        self.venue_nouns = {str(w).lower() for w in places.get("venue_nouns") or []}
        self.based_words = {str(w).lower() for w in places.get("based_words") or []}
        self.vehicles = {str(w).lower() for w in places.get("vehicles") or []}
        self.travel_verbs = {str(w).lower() for w in places.get("travel_verbs") or []}
        self.venue_heads = {str(w).lower() for w in places.get("venue_heads") or []}
        self.not_place_heads = {str(w).lower() for w in places.get("not_place_heads") or []}
        # the words of a name that many names share ("Park", "City", "Cup"): no anchors
        self.generic_name_words = self.venue_heads | self.place_nouns | self.not_place_heads
        markers = rules.data.get("last_markers") or {}
        self.last_words = {str(w).lower() for w in markers.get("words") or []}
        self.negations = {str(w).lower() for w in markers.get("negations") or []} | NEGATIONS
        self._phrase_res = {
            name: [re.compile(r"\b" + re.escape(p).replace(r"\ ", r"\s+") + r"\b", re.I)
                   for p in ev.phrases]
            for name, ev in self.events.items() if ev.phrases}

    # ================================================================ document walk
    def extract(self, paragraphs: list[Paragraph], prov: ProvFactory,
                kinds: tuple[str, ...] = ("role", "quote", "date", "count", "place"),
                ) -> list[Fact]:
        facts: list[Fact] = []
        state = _State()
        undated: list[tuple[int, Any]] = []  # statements with no date of their own
        dated: list[tuple[int, Fact]] = []
        for n, para in enumerate(paragraphs):
            found: list[Any] = []
            new = self._paragraph(para, prov, state, kinds, found)
            undated.extend((n, item) for item in found)
            dated.extend((n, f) for f in new if f.kind == "date"
                         and f.key.get("event") == "statement")
            facts.extend(new)
        if undated and dated:
            facts.extend(self._date_statements(undated, dated))
        return facts

    def _mentions(self, doc: Any) -> list[Mention]:
        """The people of a paragraph; the role pass and the fact pass over a corpus document
        share one registry, so they are found once per Doc and registry."""
        key = ("factlint-mentions", id(self.people), self.allow_new)
        cached = doc.user_data.get(key)
        if cached is None or cached[0] is not self.people:
            cached = (self.people, self.people.mentions(doc, self.allow_new))
            doc.user_data[key] = cached
        return cached[1]

    def extract_paragraph(self, para: Paragraph, prov: ProvFactory, state: State,
                          kinds: tuple[str, ...] = ("role", "quote", "date", "count", "place"),
                          ) -> tuple[list[Fact], State, StateUse]:
        """One paragraph, given the discourse state before it: its facts, the state after
        it, and what it read of the state before (:class:`StateUse`).

        The facts depend only on the paragraph's text and on what it read of the incoming
        state, which is what lets a caller cache paragraphs of a document being edited."""
        current = _State.restore(state)
        facts = self._paragraph(para, prov, current, kinds)
        return facts, current.snapshot(), current.use(state)

    def _paragraph(self, para: Paragraph, prov: ProvFactory, state: _State,
                   kinds: tuple[str, ...],
                   undated: list[Any] | None = None) -> list[Fact]:
        """The facts of one paragraph; ``undated`` (a corpus article's walk) receives its
        statements that have no date of their own."""
        doc = para.doc
        text = doc.text
        quotes = find_quotes(text)
        inq = _QuoteMask(quotes, len(text))
        mentions = [m for m in self._mentions(doc) if not inq.inside(m.start_char)]
        ctx = _Ctx(doc, para.offset, quotes, inq, mentions, prov, text)
        facts: list[Fact] = []
        if "role" in kinds:
            facts.extend(self._roles(ctx))
            if kinds == ("role",):
                return facts  # titles need no discourse state (the corpus's role pass)
        speakers: dict[int, tuple[str | None, Mention | None, Any]] = {}
        for sent in sentences(doc):
            sent_quotes = [q for q in quotes if sent.start_char <= q.end - 1 < sent.end_char
                           or (sent.start_char <= q.start < sent.end_char
                               and not q.end - 1 < sent.end_char)]
            for qi, q in enumerate(quotes):
                if q in sent_quotes and qi not in speakers:
                    speakers[qi] = self._attribute(ctx, qi, sent, state, speakers)
            if "quote" in kinds:
                for qi, q in enumerate(quotes):
                    if qi in speakers and sent.start_char <= q.end - 1 < sent.end_char:
                        facts.extend(self._quote_fact(ctx, qi, speakers, sent))
            if "date" in kinds:
                facts.extend(self._dates(ctx, sent))
                if undated is not None:
                    undated.extend(self._undated_statements(ctx, sent))
            if "count" in kinds:
                facts.extend(self._counts(ctx, sent))
                facts.extend(self._ages(ctx, sent, state))
            if "place" in kinds:
                facts.extend(self._places(ctx, sent, speakers))
                facts.extend(self._travel_places(ctx, sent))
            self._update_focus(ctx, sent, state, speakers)
        state.pending = self._pending_speaker(ctx, state)
        last = len(quotes) - 1
        if quotes and speakers.get(last, (None,))[0] and (quotes[-1].open_ended or (
                state.pending is None and _ends_paragraph(doc, quotes[-1]))):
            # the quotation goes on in the next paragraph, or closes this one: a paragraph
            # that is a bare quotation after it is the same speaker's
            state.pending = speakers[last][0]
        return facts

    # ================================================================ speakers
    def _entity_of(self, ctx: _Ctx, tok: Any, state: _State, sent: Any) -> tuple[
            str | None, Mention | None]:
        m = ctx.mention_covering(tok.idx)
        if m is not None:
            return m.person, m
        for child in tok.children:
            if child.dep_ in ("appos", "compound"):
                m = ctx.mention_covering(child.idx)
                if m is not None:
                    return m.person, m
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in self.statement_nouns:
            # "said a statement from Phil Spencer", "a statement by the ministry"
            for prep in (c for c in tok.children if c.dep_ == "prep"
                         and c.lower_ in ("from", "by", "of")):
                for obj in (g for g in prep.children if g.dep_ == "pobj"):
                    return self._entity_of(ctx, obj, state, sent)
        if tok.lower_ in self.pronouns:
            return self._resolve_pronoun(ctx, tok, state, sent), None
        if self.titles.is_head_word(tok.text):
            words = [t for t in tok.subtree if t.i <= tok.i and t.dep_ != "det"
                     and not ctx.inq.inside(t.idx)]
            title = self.titles.parse([t.text for t in words])
            if title is not None:
                return self.resolve_title(title, state), None
        if tok.ent_type_ in ("ORG", "GPE", "NORP"):
            ent = next((e for e in doc_ents(tok.doc) if e.start <= tok.i < e.end), None)
            if ent is not None:
                name = re.sub(r"^(?i:the)\s+", "", ent.text)
                return "org:" + name, None
        return None, None

    def _resolve_pronoun(self, ctx: _Ctx, tok: Any, state: _State, sent: Any) -> str | None:
        # a person who is the subject of a verb earlier in the same sentence
        for t in reversed(list(sent)):
            if t.i >= tok.i:
                continue
            if t.dep_ in SUBJ_DEPS and not ctx.inq.inside(t.idx):
                m = ctx.mention_covering(t.idx)
                if m is not None:
                    return m.person
        return state.focus

    def _speech_verbs(self, ctx: _Ctx, tokens: Sequence[Any]) -> list[Any]:
        out = []
        for t in tokens:
            lemma = t.lemma_.lower()
            hit = (lemma in self.speech_verbs and t.pos_ in ("VERB", "AUX")) or (
                lemma == "put" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "it") or (
                t.lower_ == "according" and t.i + 1 < len(t.doc)
                and t.doc[t.i + 1].lower_ == "to")
            if hit and not ctx.inq.inside(t.idx):  # (the mask last: most tokens are no verb)
                out.append(t)
        return out

    def _speaker_of_verb(self, ctx: _Ctx, verb: Any, state: _State, sent: Any) -> tuple[
            str | None, Mention | None]:
        if verb.lower_ == "according":
            to = verb.doc[verb.i + 1]
            objs = [c for c in to.children if c.dep_ == "pobj"]
            if not objs and verb.i + 2 < len(verb.doc):
                objs = [verb.doc[verb.i + 2]]
            return self._entity_of(ctx, objs[0], state, sent) if objs else (None, None)
        quoting = next((t for t in (verb, verb.head, verb.head.head)
                        if t.lemma_.lower() == "quote" and t.pos_ == "VERB"), None)
        if quoting is not None:  # "Reuters quoted Kamba as saying": Kamba said it
            objs = [c for c in quoting.children if c.dep_ == "dobj"]
            if objs:
                return self._entity_of(ctx, objs[0], state, sent)
        subj = [c for c in verb.children if c.dep_ in SUBJ_DEPS and not ctx.inq.inside(c.idx)]
        head = verb
        hops = 0
        while not subj and head.dep_ in ("conj", "xcomp", "advcl") and hops < 3:
            head = head.head
            subj = [c for c in head.children if c.dep_ in SUBJ_DEPS and not ctx.inq.inside(c.idx)]
            hops += 1
        if subj:
            return self._entity_of(ctx, subj[0], state, sent)
        # inverted: '"...," said Ukraine's president'
        for t in verb.doc[verb.i + 1: min(len(verb.doc), verb.i + 8)]:
            if ctx.inq.inside(t.idx):
                break
            if t.pos_ in ("PROPN", "NOUN", "PRON"):
                head_tok = t
                while head_tok.head.i != head_tok.i and head_tok.dep_ in (
                        "compound", "poss", "amod", "case") and head_tok.head.i > verb.i:
                    head_tok = head_tok.head
                return self._entity_of(ctx, head_tok, state, sent)
        return None, None

    def _attribute(self, ctx: _Ctx, qi: int, sent: Any, state: _State,
                   speakers: dict[int, tuple[str | None, Mention | None, Any]]) -> tuple[
            str | None, Mention | None, Any]:
        q = ctx.quotes[qi]
        doc = ctx.doc
        nxt = ctx.quotes[qi + 1].open if qi + 1 < len(ctx.quotes) else len(ctx.text)
        prv = ctx.quotes[qi - 1].close if qi > 0 else 0
        end_sent = _sent_at(doc, q.end - 1) or sent
        start_sent = _sent_at(doc, q.start) or sent
        after = [t for t in span_tokens(end_sent) if q.close <= t.idx < nxt]
        if not [t for t in after if not t.is_punct] and q.close < len(ctx.text):
            follow = _sent_at(doc, q.close + 1) or _sent_at(doc, q.close)
            if follow is not None:
                after = [t for t in span_tokens(follow) if q.close <= t.idx < nxt]
        before = [t for t in span_tokens(start_sent) if prv <= t.idx < q.open]
        trailing = ctx.text[q.start:q.end].rstrip()[-1:] in (",", "?", "!") or \
            ctx.text[q.close:q.close + 1] == ","
        orders = [after, before] if trailing else [before, after]
        orders.append([*span_tokens(start_sent), *span_tokens(end_sent)])
        for tokens in orders:
            verbs = self._speech_verbs(ctx, tokens)
            if not verbs:
                continue
            # nearest to the quote
            verb = min(verbs, key=lambda v: min(abs(v.idx - q.close), abs(v.idx - q.open)))
            pid, mention = self._speaker_of_verb(ctx, verb, state, end_sent)
            if pid is not None:
                return pid, mention, verb
        # a quotation continuing the previous one of the paragraph
        for pj in range(qi - 1, -1, -1):
            if pj in speakers and speakers[pj][0] is not None:
                return speakers[pj][0], None, None
        if qi == 0 and state.pending is not None and q.open - 0 <= 2:
            return state.pending, None, None
        return None, None, None

    def _pending_speaker(self, ctx: _Ctx, state: _State) -> str | None:
        """'... Trump stated,' at the end of a paragraph introduces the next one's quote."""
        text = ctx.text.rstrip()
        if not text or text[-1] not in ",:":
            return None
        sents = sentences(ctx.doc)
        last = sents[-1]
        verbs = self._speech_verbs(ctx, list(last))
        if not verbs:
            # a header line naming the speaker: "Dr. Jean Paul Mikobi, chief medical officer:"
            if text[-1] == ":" and len(sents) == 1 and len(ctx.mentions) == 1 and \
                    len(ctx.doc) <= 16 and not ctx.quotes:
                return ctx.mentions[0].person
            return None
        pid, _ = self._speaker_of_verb(ctx, verbs[-1], state, last)
        return pid

    def _update_focus(self, ctx: _Ctx, sent: Any, state: _State,
                      speakers: dict[int, tuple[str | None, Mention | None, Any]]) -> None:
        named = []
        for m in ctx.mentions:
            if sent.start_char <= m.start_char < sent.end_char:
                state.mention(m.person)
                if m.person not in named:
                    named.append(m.person)
        state.last = tuple(named)
        root = sent.root
        subj = [c for c in root.children if c.dep_ in SUBJ_DEPS and not ctx.inq.inside(c.idx)]
        pid = None
        if subj:
            pid, _ = self._entity_of(ctx, subj[0], state, sent)
        if pid is None or pid.startswith("org:"):
            for qi, q in enumerate(ctx.quotes):
                if sent.start_char <= q.start < sent.end_char and qi in speakers:
                    sp = speakers[qi][0]
                    if sp and not sp.startswith("org:"):
                        pid = sp
        if pid is not None and not pid.startswith("org:"):
            state.focus = pid
            state.mention(pid)

    # ================================================================ quotes
    def _quote_fact(self, ctx: _Ctx, qi: int,
                    speakers: dict[int, tuple[str | None, Mention | None, Any]],
                    sent: Any) -> list[Fact]:
        q = ctx.quotes[qi]
        raw = ctx.text[q.start:q.end]
        text = raw.strip().strip(",.;:").strip()
        words = quote_words(text)
        if not words:
            return []
        pid, mention, _verb = speakers.get(qi, (None, None, None))
        # a quotation split by its speech tag is one quotation: join with the previous part
        joined = None
        if qi > 0 and speakers.get(qi - 1, (None,))[0] == pid and pid is not None:
            prev = ctx.quotes[qi - 1]
            gap = ctx.text[prev.close:q.open]
            prev_text = ctx.text[prev.start:prev.end].rstrip()
            split_by_tag = (prev_text.endswith(",") or gap.lstrip().startswith(",")) and \
                gap.rstrip().endswith((",", ":")) and len(gap) < 120
            if split_by_tag:
                ptext = ctx.text[prev.start:prev.end].strip().strip(",.;:").strip()
                joined = ptext + " " + text
        span_start = min(q.open, mention.start_char) if mention else q.open
        span_end = max(q.close, mention.end_char) if mention else q.close
        value = {"text": text, "words": words, "speaker": pid,
                 "speaker_name": self.people.name(pid) if pid else None}
        extra: dict[str, Any] = {"content": [ctx.offset + q.start, ctx.offset + q.end]}
        if mention is not None:
            extra["speaker_span"] = [ctx.offset + mention.start_char,
                                     ctx.offset + mention.end_char]
            extra["speaker_text"] = mention.text
        out = [self._fact(ctx, "quote", {"speaker": pid}, value, (span_start, span_end),
                          (q.start, q.end), extra=extra, sent=sent)]
        if joined:
            jw = quote_words(joined)
            out.append(self._fact(ctx, "quote", {"speaker": pid},
                                  {**value, "text": joined, "words": jw, "joined": True},
                                  (span_start, span_end), (q.start, q.end),
                                  extra=dict(extra), sent=sent))
        return out

    # ================================================================ events
    def _triggers(self, ctx: _Ctx, sent: Any, want: Callable[[EventRule], bool]) -> list[
            tuple[int, str]]:
        """The vocabulary's events named in the sentence (token, event) that ``want`` keeps
        (the sentence is read once for the date, count and place kinds)."""
        found = ctx.triggers.get(sent.start)
        if found is None:
            found = ctx.triggers[sent.start] = self._all_triggers(ctx, sent)
        return [(i, name) for i, name in found if want(self.events[name])]

    def _all_triggers(self, ctx: _Ctx, sent: Any) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        verbs, nouns = self.frames.verb_events, self.frames.noun_events
        for t in span_tokens(sent):
            pos = t.pos_
            if pos in ("VERB", "AUX"):
                names = verbs.get(t.lemma_.lower(), ())
            elif pos in ("NOUN", "PROPN", "ADJ"):
                names = nouns.get(t.lemma_.lower(), ()) or nouns.get(t.lower_, ())
            else:
                continue
            if names and not ctx.inq.inside(t.idx):
                out.extend((t.i, name) for name in names)
        text = ctx.sentence_text(sent) if self._phrase_res else ""
        for name, res in self._phrase_res.items():
            for rx in res:
                for m in rx.finditer(text):
                    start = sent.start_char + m.start()
                    if ctx.inq.inside(start):
                        continue
                    tok = _token_at(ctx.doc, start)
                    if tok is not None:
                        out.append((tok.i, name))
        return out

    def _anchors(self, ctx: _Ctx, sent: Any, exclude: tuple[int, int] | None = None) -> list[str]:
        words: list[str] = []
        for ent in span_ents(sent):
            if (ent.label_ not in ANCHOR_LABELS and not (
                    ent.label_ == "LANGUAGE" and ent.root.pos_ == "PROPN")) \
                    or ctx.inq.inside(ent.start_char):
                continue
            if exclude and exclude[0] <= ent.start_char < exclude[1]:
                continue
            if ctx.mention_covering(ent.start_char):
                continue
            for t in ent:
                if t.text[:1].isupper() and t.lower_ not in ("the",):
                    w = norm_word(t.text)
                    if w and w not in words and (w not in self.generic_name_words
                                                 or len(ent) == 1):
                        words.append(w)  # "Hampden Park": "hampden", not "park"
        for t in span_tokens(sent):
            if t.pos_ == "PROPN" and t.text[:1].isupper() and not t.ent_type_ and \
                    not ctx.inq.inside(t.idx) and not ctx.mention_covering(t.idx) and \
                    not (exclude and exclude[0] <= t.idx < exclude[1]) and \
                    t.text.rstrip(".").lower() not in self.people.honorifics:
                w = norm_word(t.text)
                if w and w not in words:
                    words.append(w)
        for m in ctx.mentions:
            if sent.start_char <= m.start_char < sent.end_char and m.person not in words:
                words.append(m.person)
        dateline = _DATELINE_RE.match(ctx.text) if sent.start_char == 0 else None
        if dateline:  # "SAN VITO ALTO, Italy (AP) - ...": where the story happens
            words += [w for w in (norm_word(x) for x in re.findall(r"[\w'’.-]+",
                                                                     dateline.group(1)))
                      if w and w not in words]
        return words

    def _when(self, ctx: _Ctx, sent: Any) -> list[dict[str, Any]]:
        """Absolute dates in the sentence (outside quotations): which occurrence it is."""
        return [d.to_json() for d in self.values.find_dates(ctx.sentence_text(sent), self.ref_date)
                if not ctx.inq.inside(sent.start_char + d.start)]

    def _persons(self, ctx: _Ctx, sent: Any) -> list[str]:
        out: list[str] = []
        for m in ctx.mentions:
            if sent.start_char <= m.start_char < sent.end_char and m.person not in out:
                out.append(m.person)
        return sorted(out)

    # ---------------------------------------------------------------- dates
    def _local_anchors(self, ctx: _Ctx, head: Any, exclude: tuple[int, int]) -> list[str]:
        """The names in the frame's own phrase: a name the corpus never mentions there sets
        the occurrence apart; one in another clause ("studios including X") does not."""
        phrase = ctx.doc[head.left_edge.i:head.right_edge.i + 1]
        return self._anchors(ctx, phrase, exclude=exclude)

    @staticmethod
    def _subject_nouns(head: Any) -> list[str]:
        """What did it or had it done: "[the earthquake] struck", "[Norrvik], which is
        headquartered in", for frames identified by what they share."""
        out = [c.lemma_.lower() for c in head.children
               if c.dep_ == "nsubj" and c.pos_ == "NOUN" and c.is_alpha]
        for c in head.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PROPN":
                out += [norm_word(t.text) for t in c.subtree if t.pos_ == "PROPN"]
        if head.dep_ in ("relcl", "acl") and head.head.pos_ == "PROPN":
            out += [norm_word(t.text) for t in head.head.subtree
                    if t.pos_ == "PROPN" and t.i <= head.head.i]
        return out

    @staticmethod
    def _inner_trigger(head: Any, trigger_ids: set[int]) -> Any | None:
        """"launched its invasion", "engaged in talks": the vocabulary event noun a verb
        governs."""
        inner = [c for c in head.children if c.dep_ == "dobj" and c.i in trigger_ids]
        inner += [g for c in head.children if c.dep_ == "prep"
                  for g in c.children if g.dep_ == "pobj" and g.i in trigger_ids]
        return inner[0] if inner else None

    def _frame_label(self, head: Any, obj: list[str]) -> str:
        """What the value is about, in the writer's words: "the final", or the predicate
        with its subject and object ("the earthquake struck San Vito Alto")."""
        if head.pos_ == "NOUN":
            return f"the {head.lemma_.lower()}"
        words = []
        for c in head.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN"):
                words += [t for t in c.subtree if t.dep_ != "det" and not t.is_punct][:4]
        words.append(head)
        for c in head.children:
            if c.dep_ == "dobj":
                words += [t for t in c.subtree if t.dep_ != "det" and not t.is_punct][:4]
        toks = sorted(set(words), key=lambda t: t.i)
        return "".join(t.text_with_ws if i + 1 < len(toks) and toks[i + 1].i == t.i + 1
                       else t.text + " " for i, t in enumerate(toks)).strip()

    def _is_statement(self, tok: Any) -> bool:
        """A speech verb reporting what was said (not "declared the outbreak")."""
        if tok.lemma_.lower() not in self.speech_verbs or tok.pos_ != "VERB":
            return False
        return not any(c.dep_ in ("dobj", "nsubjpass") and c.pos_ == "NOUN"
                       for c in tok.children)  # "confirmed 64 cases" reports a count

    def _event_object(self, ctx: _Ctx, ti: int) -> list[str]:
        """What the event was done to: 'annexed [the Crimean peninsula]', 'invasion of
        [Ukraine]', '[Crimea] was annexed'."""
        tok = ctx.doc[ti]
        heads = []
        if tok.pos_ in ("VERB", "AUX"):
            heads = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
            if not heads and tok.dep_ in ("relcl", "acl") and tok.head.pos_ in ("NOUN", "PROPN"):
                heads = [tok.head]  # "the peninsula Moscow annexed in 2014"
        else:
            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"):
                heads += [c for c in prep.children if c.dep_ == "pobj"]
            # "the result announcement": what the noun is about
            heads += [c for c in tok.children if c.dep_ == "compound" and c.pos_ == "NOUN"]
        words: list[str] = []
        for head in heads[:1]:
            for t in head.subtree:
                if t.pos_ in ("PROPN", "NOUN", "ADJ") and not t.like_num and t.is_alpha and \
                        t.ent_type_ not in ("DATE", "TIME") and \
                        not ctx.inq.inside(t.idx) and len(words) < 6:
                    words.append(norm_word(t.lemma_ if t.pos_ == "NOUN" else t.text))
        return words

    # ================================================================ helpers
    def _fact(self, ctx: _Ctx, kind: str, key: dict[str, Any], value: dict[str, Any],
              span: tuple[int, int], value_span: tuple[int, int] | None,
              extra: dict[str, Any] | None = None, sent: Any = None) -> Fact:
        if sent is None:
            sent = _sent_at(ctx.doc, span[0])
        s_start = sent.start_char if sent is not None else span[0]
        s_end = sent.end_char if sent is not None else span[1]
        prov = ctx.prov(ctx.offset + s_start, ctx.offset + s_end)
        if sent is not None and kind in ("count", "date", "place"):
            named = set(key.get("anchors") or key.get("args") or [])
            adjectives = sorted({w for ent in span_ents(sent) if ent.label_ == "NORP"
                                 for w in (norm_word(t.text) for t in ent) if w in named})
            if adjectives:
                key["demonyms"] = adjectives  # "French publisher Ubisoft": of a known place
        return Fact(kind, key, value, prov,
                    span=(ctx.offset + span[0], ctx.offset + span[1]),
                    value_span=(ctx.offset + value_span[0], ctx.offset + value_span[1])
                    if value_span else None,
                    extra=extra or {})


# ==================================================================== small helpers
class _State:
    """The discourse state a paragraph is read in, noting what the paragraph reads of it.

    ``read``: the fields read while they still held what the paragraph came in with
    (``recent`` whenever it is read: a mention keeps most of it). ``own``: the fields the
    paragraph set. ``ops``: the people it mentioned, in order. With these, a paragraph's
    facts hold for any incoming state that agrees on what it read, and its outgoing state
    follows from that incoming state (:class:`StateUse`)."""

    __slots__ = ("_focus", "_pending", "_recent", "_last", "read", "own", "ops")

    def __init__(self, focus: str | None = None, pending: str | None = None,
                 recent: list[str] | None = None, last: tuple[str, ...] = ()) -> None:
        self._focus, self._pending, self._last = focus, pending, last
        self._recent: list[str] = [] if recent is None else recent
        self.read: set[str] = set()
        self.own: set[str] = set()
        self.ops: list[str] = []

    def _reading(self, name: str) -> None:
        if name not in self.own:
            self.read.add(name)

    @property
    def focus(self) -> str | None:
        self._reading("focus")
        return self._focus

    @focus.setter
    def focus(self, pid: str | None) -> None:
        self.own.add("focus")
        self._focus = pid

    @property
    def pending(self) -> str | None:
        self._reading("pending")
        return self._pending

    @pending.setter
    def pending(self, pid: str | None) -> None:
        self.own.add("pending")
        self._pending = pid

    @property
    def last(self) -> tuple[str, ...]:
        self._reading("last")
        return self._last

    @last.setter
    def last(self, pids: tuple[str, ...]) -> None:
        self.own.add("last")
        self._last = pids

    @property
    def recent(self) -> list[str]:
        self.read.add("recent")
        return self._recent

    def mention(self, pid: str) -> None:
        self.ops.append(pid)
        _mention(self._recent, pid)

    def snapshot(self) -> State:
        return self._focus, self._pending, tuple(self._recent), self._last

    @staticmethod
    def restore(snap: State) -> _State:
        return _State(snap[0], snap[1], list(snap[2]), tuple(snap[3]))

    def use(self, before: State) -> StateUse:
        """What this paragraph read of ``before`` (the state it came in with) and did."""
        reads = tuple(sorted(self.read))
        return StateUse(reads, tuple(before[_FIELDS[f]] for f in reads),
                        frozenset(self.own), tuple(self.ops))


def _mention(recent: list[str], pid: str) -> None:
    if pid in recent:
        recent.remove(pid)
    recent.append(pid)
    del recent[:-8]  # only the last few people matter for resolution


_FIELDS = {"focus": 0, "pending": 1, "recent": 2, "last": 3}


@dataclass(frozen=True)
class StateUse:
    """What a paragraph read of the state it came in with (``reads``, with the values
    ``seen``), which fields it set itself (``own``) and whom it mentioned (``ops``)."""

    reads: tuple[str, ...]
    seen: tuple[Any, ...]
    own: frozenset[str]
    ops: tuple[str, ...]

    def holds_for(self, before: State) -> bool:
        """Would the paragraph read the same in ``before``? (Then its facts are the same.)"""
        return all(before[_FIELDS[f]] == v for f, v in zip(self.reads, self.seen,
                                                           strict=True))

    def after(self, before: State, known_after: State) -> State:
        """The state after the paragraph, coming in with ``before`` (for which
        :meth:`holds_for` is true); ``known_after``: its state after, the time it ran."""
        recent = list(before[2])
        for pid in self.ops:
            _mention(recent, pid)

        def pick(name: str) -> Any:
            i = _FIELDS[name]
            return known_after[i] if name in self.own else before[i]

        return pick("focus"), pick("pending"), tuple(recent), pick("last")


class _QuoteMask:
    def __init__(self, quotes: list[QuoteSpan], n: int) -> None:
        self.spans = [(q.open, q.close) for q in quotes]

    def inside(self, offset: int) -> bool:
        for a, b in self.spans:  # (most paragraphs quote nobody: no span at all)
            if a <= offset < b:
                return True
        return False


@dataclass
class _Ctx:
    doc: Any
    offset: int
    quotes: list[QuoteSpan]
    inq: _QuoteMask
    mentions: list[Mention]
    prov: ProvFactory
    text: str  # doc.text, which spaCy joins from its tokens each time it is read
    # the events of each sentence (by its first token), read once for every claim kind
    triggers: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    dated_verbs: set[int] = field(default_factory=set)  # speech verbs that govern a date

    def sentence_text(self, sent: Any) -> str:
        """``sent.text`` without spaCy joining the tokens again: a slice of the paragraph's."""
        return self.text[sent.start_char:sent.end_char]

    def mention_covering(self, char: int) -> Mention | None:
        for m in self.mentions:
            if m.start_char <= char < m.end_char:
                return m
        return None

    def mention_at(self, tok_i: int) -> bool:
        return any(m.start <= tok_i < m.end for m in self.mentions)


def _ends_paragraph(doc: Any, q: QuoteSpan) -> bool:
    """The quotation is in the paragraph's last sentence: "...," the judge told him."""
    sents = sentences(doc)
    return bool(sents) and sents[-1].start_char <= q.end - 1
