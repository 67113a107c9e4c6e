"""The place claim kind: where something happened, was said, or is based.

A place (a GPE/LOC/FAC entity, or a name the corpus uses as a place) after a locating
preposition belongs to the frame that governs it in the parse; "X-based Y" and "Y,
headquartered in X" give an organisation's place. Two places agree when the gazetteer says one
can be inside the other (a city never contradicts its country) or they are aliases.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple

from factlint.comparisons import head_first, same_quotation, same_time
from factlint.doctools import span_ents, span_tokens
from factlint.factdb import (
    anchor_terms,
    meeting_term,
    open_anchor_terms,
    open_groups,
    open_person_terms,
    person_terms,
    statement_word_bound,
)
from factlint.facts import Fact
from factlint.gazetteer import gazetteer, place_key
from factlint.kinds.travel import TRAVEL_EVENTS
from factlint.names import any_overlap, norm_word, stem_match
from factlint.people import Mention
from factlint.quotes import quote_words

if TYPE_CHECKING:
    from factlint.diagnostics import Diagnostic
    from factlint.extract import _Ctx

PLACE_LABELS = {"GPE", "LOC", "FAC"}


class PlaceExtraction:
    """Mixed into ``Extractor``: finds place facts in a sentence."""

    def _places(self, ctx: _Ctx, sent: Any,
                speakers: dict[int, tuple[str | None, Mention | None, Any]]) -> list[Fact]:
        facts: list[Fact] = []
        triggers = self._triggers(ctx, sent, lambda ev: ev.placed and not ev.speech)
        speech = self._speech_verbs(ctx, span_tokens(sent))
        ents = span_ents(sent)
        for t in span_tokens(sent):
            if t.pos_ == "PROPN" and not t.ent_type_ and t.dep_ == "pobj" and \
                    t.head.lower_ in self.locating and t.text in self.people.place_words:
                ents.append(ctx.doc[t.i:t.i + 1])  # "In Kyiv," with no entity from NER
        for ent in ents:
            if ctx.inq.inside(ent.start_char):
                continue
            mention = ctx.mention_covering(ent.start_char)
            if mention is not None and (mention.person in self.people.persons
                                        or not self._gazetteer_place(ent)):
                continue  # a person, unless a name only the draft has is a known place
            if not self._is_place(ent):
                continue
            root = ent.root
            prep = None
            if root.dep_ == "pobj" and root.head.lower_ in self.locating:
                prep = root.head
            elif root.dep_ in ("compound", "nmod", "amod", "appos") and \
                    root.head.lemma_.lower() in \
                    self.place_nouns and root.head.dep_ == "pobj" and \
                    root.head.head.lower_ in self.locating:
                prep = root.head.head
            if prep is not None and prep.head.ent_type_ in PLACE_LABELS and \
                    not ent.start <= prep.head.i < ent.end:
                continue  # "Wembley Stadium in London": London only says where Wembley is
            based = self._based(ctx, ent) if prep is None else None
            if prep is None and based is None:
                continue
            frame: dict[str, Any] = {}
            if based is not None:
                event, anchor_tok = based
                frame = {"lemma": "base", "object": [norm_word(t.text) for t in anchor_tok
                                                     if t.pos_ == "PROPN"], "open": True,
                         "label": "where " + " ".join(t.text for t in anchor_tok) + " is based"}
            else:
                event, anchor_tok, frame = self._place_frame(ctx, prep, triggers, speech, ent)
            if event is None:
                continue
            place = " ".join(norm_word(t.text) for t in ent if t.lower_ != "the")
            text = re.sub(r"^(?i:the)\s+", "", ent.text)
            key: dict[str, Any] = {"event": event, "label": self.events[event].label
                                   if event in self.events else frame.get("label", event),
                                   "persons": self._persons(ctx, sent),
                                   "anchors": self._anchors(ctx, sent, exclude=(
                                       ent.start_char, ent.end_char)),
                                   "when": self._when(ctx, sent), **frame}
            if event == "statement":
                qwords = [" ".join(quote_words(ctx.text[q.start:q.end]))
                          for q in ctx.quotes if sent.start_char <= q.start < sent.end_char]
                sp = self._speaker_of_verb(ctx, anchor_tok, _fresh_state(), sent)[0] \
                    if anchor_tok is not None else None
                if not qwords and (sp is None or sp.startswith("org:")):
                    continue
                key["quotes"] = qwords
                key["speaker"] = sp
                # what was said, to recognise the same statement without a quotation
                key["content"] = sorted({
                    t.lemma_.lower() for t in span_tokens(sent)
                    if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ") and not t.is_stop
                    and not ctx.mention_covering(t.idx) and t.i != anchor_tok.i
                    and not (ent.start <= t.i < ent.end)
                    and t.lemma_.lower() not in self.speech_verbs})
            facts.append(self._fact(ctx, "place", key, {"place": place, "text": text},
                                    (sent.start_char, sent.end_char),
                                    (ent.start_char + (len(ent.text) - len(text)), ent.end_char),
                                    sent=sent))
        return facts

    @staticmethod
    def _gazetteer_place(ent: Any) -> bool:
        """A known place ("in Vénissieux"), or a venue named after its town ("at Boxpark
        Wembley"), after a preposition."""
        if ent.root.dep_ != "pobj":
            return False
        g = gazetteer()
        return g.level(place_key(ent.text)) is not None or (
            len(ent) > 1 and g.level(place_key(ent[-1].text)) == "city")

    def _is_place(self, ent: Any) -> bool:
        if ent[-1].lemma_.lower() in self.not_place_heads:
            return False  # "the Northern Cup", "the Europa League": events, not places
        if ent.label_ in ("ORG", "PERSON", "") and ent.root.dep_ == "pobj" and (
                ent[-1].lemma_.lower() in self.venue_heads or self._gazetteer_place(ent)):
            return True  # "at Bolton Crown Court", "in Vénissieux" however it was tagged
        if not ent.label_ and ent.text in self.people.place_words:
            return True
        if ent.label_ in PLACE_LABELS:
            return True
        if ent.label_ in ("ORG", "PERSON") and ent.text in self.people.place_words:
            return True
        if ent.label_ in ("ORG", "PERSON") and len(ent) == 1 and not ent.text.isupper() and \
                ent.root.dep_ == "pobj" and ent.root.head.lower_ == "in":
            votes = self.people.label_votes.get(ent.text)
            return not votes or votes.most_common(1)[0][0] in PLACE_LABELS or sum(
                votes.values()) <= 1
        return False

    def _place_event(self, ctx: _Ctx, prep: Any, triggers: list[tuple[int, str]],
                     speech: list[Any], ent: Any) -> tuple[str | None, Any]:
        by_tok: dict[int, str] = {}
        for ti, name in triggers:
            by_tok.setdefault(ti, name)
        speech_ids = {v.i for v in speech}
        tok = prep.head
        through_verb = False
        for _ in range(4):
            if tok.i in by_tok:
                return by_tok[tok.i], tok
            if tok.i in speech_ids and not through_verb:
                return "statement", tok
            if tok.pos_ in ("VERB", "AUX") or (
                    tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() not in self.venue_nouns):
                through_verb = True  # "troops in Ukraine" is not where anything was said
            if tok.head.i == tok.i:
                break
            tok = tok.head
        if prep.head.pos_ not in ("VERB", "AUX"):
            return None, None  # "the war in Ukraine": the place modifies a noun, not an event
        best = None
        for ti, name in triggers:
            dist = abs(ti - ent.root.i)
            if dist <= 10 and (best is None or dist < best[0]):
                best = (dist, name, ti)
        if best is not None:
            return best[1], ctx.doc[best[2]]
        return None, None

    def _place_frame(self, ctx: _Ctx, prep: Any, triggers: list[tuple[int, str]],
                     speech: list[Any], ent: Any) -> tuple[str | None, Any, dict[str, Any]]:
        """Where what happened: the frame that governs the place's preposition in the parse
        (a vocabulary event, a statement, or any other predicate), else the vocabulary's
        nearest trigger."""
        trigger_ids = {ti for ti, _ in triggers}
        head = self.frames.governor(  # "in the capital Kinshasa": the capital is the place
            ent.root, (ent.start, ent.end), stops=trigger_ids,
            blocked=lambda h: ctx.inq.inside(h.idx) or h.lemma_.lower() in self.place_nouns)
        if head is not None:
            inner = self._inner_trigger(head, trigger_ids)
            head = inner if inner is not None else head
        speech_ids = {v.i for v in speech}
        speaking = [t for t in head.ancestors if t.i in speech_ids] if head is not None else []
        venue = head is not None and head.lemma_.lower() in self.venue_nouns and bool(speaking)
        if venue:
            # "said at a news conference in X", "announced the outbreak at a news conference
            # in X": where the speaker spoke
            return "statement", speaking[0], {}
        if head is not None and head.i not in trigger_ids and not venue and \
                not self._is_statement(head):  # "the result was announced in X": an event
            fh = self.frames.head(head)
            if fh.rule is not None and not fh.rule.placed:
                fh = type(fh)(fh.tok, fh.lemma, self.frames.open_group(fh.lemma), None)
            if fh.rule is None:
                obj = self._event_object(ctx, head.i)
                obj = obj + [w for w in self._subject_nouns(head) if w not in obj]
                if not obj and fh.group == self.frames.group("base") and head.pos_ == "NOUN":
                    # "From its headquarters in Irvine, Activision oversees ...": whose
                    root = head.sent.root
                    obj = self._subject_nouns(root)[:4] or [
                        norm_word(w) for m in ctx.mentions
                        if head.sent.start_char <= m.start_char < head.sent.end_char
                        for w in m.text.split()][:4]
                return fh.group, head, {"lemma": fh.lemma, "object": obj, "open": True,
                                        "label": self._frame_label(head, obj),
                                        "frames": self.frames.context(head),
                                        "local": [a for a in self._local_anchors(
                                            ctx, head, (ent.start_char, ent.end_char))
                                            if a not in self._place_parts(ent)]}
        event, tok = self._place_event(ctx, prep, triggers, speech, ent)
        return event, tok, {}

    @staticmethod
    def _place_parts(ent: Any) -> set[str]:
        """The places that only complete this one ("Irvine, California")."""
        return {norm_word(t.text) for c in ent.root.children if c.dep_ in ("conj", "appos")
                and c.ent_type_ in PLACE_LABELS for t in c.subtree if t.ent_type_}

    def _based(self, ctx: _Ctx, ent: Any) -> tuple[str, list[Any]] | None:
        """"Santa Monica-based Activision": the place of an organisation."""
        doc = ctx.doc
        i = ent.end
        if i + 1 < len(doc) and doc[i].text in ("-", "–") and \
                doc[i + 1].lower_ in self.based_words:
            target = doc[i + 1].head
            toks = [t for t in target.subtree if t.i > i + 1 and t.i <= target.i]
            if target.dep_ == "appos" and target.head.pos_ == "PROPN":
                # "Caldera Analytics, the Dallas-based data company"
                toks = [t for t in target.head.subtree if t.i <= target.head.i
                        and t.pos_ == "PROPN"]
            if toks:
                return self.frames.group("base"), toks
        return None


class _ClaimSide(NamedTuple):
    specific: list[str]  # the claim's anchors that are not common
    named_persons: frozenset[str]  # every person it names
    known_persons: list[str]  # those of them the corpus knows
    by_participants: bool  # its event is identified by who took part (a meeting)


class PlaceCheck:
    """Mixed into ``Checker``: compares a place claim with the corpus places of the same
    frame."""

    def check_place(self, claim: Fact) -> list[Diagnostic]:
        key = claim.key
        cands: list[tuple[int, Fact]] = []
        if key["event"] in TRAVEL_EVENTS:
            found = self.index.lookup("place", key["event"])  # every vehicle's, few
        elif key.get("open"):
            # keyed fetch by what an open frame must share, with a compatible predicate:
            # every known person of the draft's, else a name that is not common, or the object
            known = [p for p in key["persons"] if p in self.index.people.persons]
            words = [a for a in key["anchors"] if not self.common(a)] + (key.get("object")
                                                                         or [])
            groups = open_groups(key)
            found = self.index.lookup_any("place", [open_person_terms(g, known)
                                                    for g in groups]) if known \
                else self.index.lookup("place", None, self.selective(
                    open_anchor_terms(groups, words))) if words else []
        elif key["event"] == "statement":
            quotes = [(q.split(), statement_word_bound(len(q.split()), self.quote_match))
                      for q in key.get("quotes") or [] if len(q.split()) >= self.min_words]
            found = self.index.statements(key.get("speaker"), key.get("content") or [],
                                          SAME_CONTENT, quotes, self.crowded)
        else:
            # a fact must have every person of the draft the corpus knows; with none known,
            # an anchor in common
            known = [p for p in key["persons"] if p in self.index.people.persons]
            rule = self.rules.events.get(key["event"])
            if rule is not None and rule.participants == "persons" and len(known) > 1:
                # a meeting is who met: exactly these people (_same_place_occurrence)
                found = self.index.lookup("place", key["event"], None, [meeting_term(known)])
            elif known and rule is not None and rule.participants == "persons":
                # one person met someone: a name besides theirs in common too
                others = anchor_terms([a for a in key["anchors"] if not self.common(a)
                                       and a not in set(key["persons"])])
                found = self.index.lookup("place", key["event"], others,
                                          person_terms(known)) if others else []
            elif known:
                found = self.index.lookup("place", key["event"], None, person_terms(known))
            else:
                # a name in common, one that is not on crowds of facts; else all of them
                chosen = self.selective(anchor_terms(key["anchors"]))
                found = self.index.lookup("place", key["event"], chosen) if chosen else \
                    self.named_by_all("place", key["event"], key["anchors"], claim)
        mine = self._claim_side(key) if found and key["event"] != "statement" and \
            key["event"] not in TRAVEL_EVENTS else None
        for f in found:
            score = self._same_place_occurrence(key, f, mine)
            if score:
                cands.append((score, f))
        cands = [(n, f) for n, f in cands if same_time(claim, f)]
        if not cands:
            return []
        if key["event"] != "statement" and not self.all_known(
                key, key.get("local", key["anchors"])):
            return []  # the draft names something the corpus never mentions: another event
        cands = head_first(key, cands)
        return self._verdict("place", claim, cands, lambda v: places_agree(claim.value, v),
                             places_agree)

    def _same_place_occurrence(self, key: dict[str, Any], f: Fact,
                               mine: _ClaimSide | None = None) -> int:
        """How well a corpus place fact is identified as the draft's occurrence (0: not).
        ``mine``: what of the claim this needs, worked out once for all its candidates."""
        fk = f.key
        if key.get("open") != fk.get("open") or (
                not key.get("open") and fk["event"] != key["event"]):
            return 0
        if key["event"] == "statement":
            return self._same_statement(key, fk)
        if key["event"] in TRAVEL_EVENTS:
            # the same vehicle: "the passenger train", not the freight train; "a passenger
            # train" only with a name, place or date in common
            if key.get("object") != fk.get("object"):
                return 0
            if key.get("definite") is False and not any_overlap(
                    [a for a in key["anchors"] if not self.common(a)], fk["anchors"]):
                return 0
            return 2
        if not self.frames.compatible(key, fk):
            return 0
        side = mine or self._claim_side(key)
        theirs_persons = set(fk["persons"])
        others = [a for a in side.specific
                  if a not in side.named_persons and a not in theirs_persons]
        persons = side.known_persons
        if side.by_participants and persons:
            # a meeting is identified by who met: all of them, no one else; one person alone
            # ("a summit with Trump") needs something else in common too
            if len(persons) > 1:
                return len(persons) if set(persons) == theirs_persons else 0
            if not any_overlap(others, fk["anchors"]):
                return 0
        if persons:
            # the same event only if everyone the draft names took part in it
            if not set(persons) <= theirs_persons:
                return 0
            return len(persons)
        if fk["persons"] and not key.get("open"):
            return 0
        mine_obj, theirs_obj = key.get("object") or [], fk.get("object") or []
        if mine_obj and theirs_obj and not any_overlap(mine_obj, theirs_obj):
            return 0
        if key.get("open"):
            # an open frame needs more than its people in common: a name, or the object
            shared = any_overlap(others, fk["anchors"])
            return shared + (any_overlap(mine_obj, theirs_obj) if mine_obj and theirs_obj
                             else 0)
        return any_overlap(side.specific, fk["anchors"]) or any_overlap(key["anchors"],
                                                                         fk["anchors"])

    def _claim_side(self, key: dict[str, Any]) -> _ClaimSide:
        """What :meth:`_same_place_occurrence` needs of the claim, the same for every
        candidate."""
        rule = self.rules.events.get(key["event"])
        known = self.index.people.persons
        return _ClaimSide([a for a in key["anchors"] if not self.common(a)],
                          frozenset(key["persons"]),
                          [p for p in key["persons"] if p in known],
                          rule is not None and rule.participants == "persons")

    def _same_statement(self, key: dict[str, Any], fk: dict[str, Any]) -> int:
        """The same statement: a quotation the quote check would match, or the same speaker
        saying much the same without one."""
        for q in key.get("quotes") or []:
            words = q.split()
            if len(words) < self.min_words:
                continue
            if any(same_quotation(words, cq, self.quote_match)
                   for cq in fk.get("quotes") or []):
                return 3
        if key.get("speaker") and key.get("speaker") == fk.get("speaker"):
            mine, theirs = set(key.get("content", [])), set(fk.get("content", []))
            shared = len(mine & theirs)
            if shared >= SAME_CONTENT and shared >= 0.35 * min(len(mine), len(theirs)):
                return 2
        return 0

SAME_CONTENT = 3  # content words one speaker's two statements share to be one statement


def places_agree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """The same place, a spelling variant ("Kyiv's"), an alias, or one inside the other."""
    key = (a["place"], a.get("text"), b["place"], b.get("text"))
    found = _AGREED.get(key)
    if found is None:
        if len(_AGREED) > 100_000:
            _AGREED.clear()
        found = _AGREED[key] = _places_agree(a, b)
    return found


# places_agree's answers (what it reads of two values is the key): a check compares the
# claim's place with each candidate's, then the candidates' among themselves
_AGREED: dict[tuple[str, str | None, str, str | None], bool] = {}


def _places_agree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    wa, wb = a["place"].split(), b["place"].split()
    if a["place"] == b["place"]:
        return True
    if len(wa) == len(wb) and all(stem_match(x, y) for x, y in zip(wa, wb, strict=True)):
        return True
    return gazetteer().agree(a.get("text") or a["place"], b.get("text") or b["place"])


def _fresh_state() -> Any:
    from factlint.extract import _State

    return _State()
