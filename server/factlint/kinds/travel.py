"""Where a vehicle was going, or coming from: a place claim of its own.

"A passenger train en route to Moscow", "flight AI171, bound for London", "the train was
travelling from Moscow to Klimov": the place after ``to``/``for``/``from`` is the destination or
the origin of the vehicle the sentence names (``places.vehicles``), never where anything
happened. Two such places are compared only when they are about the same vehicle (the same
noun with the same modifiers: a freight train is not the passenger train).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from factlint.doctools import span_ents, span_tokens
from factlint.gazetteer import gazetteer, place_key
from factlint.names import norm_word

if TYPE_CHECKING:
    from factlint.extract import _Ctx
    from factlint.facts import Fact

TRAVEL_EVENTS = ("destination", "origin")
_PLACE_LABELS = {"GPE", "LOC", "FAC"}


class TravelExtraction:
    """Mixed into ``Extractor``: destinations and origins of vehicles."""

    def _travel_places(self, ctx: _Ctx, sent: Any) -> list[Fact]:
        vehicles, verbs = self.vehicles, self.travel_verbs
        low = ctx.sentence_text(sent).lower()
        if not vehicles or not any(v in low for v in vehicles):
            return []  # (most sentences name no vehicle: no token loop)
        facts = []
        for ent in self._travel_ends(ctx, sent):
            found = self._traveller(ent.root.head, vehicles, verbs)
            if found is None:
                continue
            event, vehicle = found
            dets = [c for c in vehicle.children if c.dep_ in ("det", "amod", "poss", "nummod")]
            if any(c.lower_ in self.frames.occurrence_words or c.ent_type_ == "ORDINAL"
                   for c in dets):
                continue  # "another passenger train", "a second flight": not the one
            obj = sorted({c.lemma_.lower() for c in vehicle.children
                          if c.dep_ in ("compound", "amod") and c.is_alpha
                          and not c.text[:1].isupper()} | {vehicle.lemma_.lower()})
            place = " ".join(norm_word(t.text) for t in ent if t.lower_ != "the")
            key = {"event": event, "label": f"the {vehicle.lemma_.lower()}'s {event}",
                   "persons": [], "object": obj, "local": [],
                   # "the train" is the one the story is about; "a train" may be another
                   "definite": any(c.lower_ == "the" or c.dep_ == "poss" for c in dets)
                   or _named(vehicle),
                   "anchors": self._anchors(ctx, sent, exclude=(ent.start_char, ent.end_char)),
                   "when": self._when(ctx, sent)}
            facts.append(self._fact(ctx, "place", key, {"place": place, "text": ent.text},
                                    (sent.start_char, sent.end_char),
                                    (ent.start_char, ent.end_char), sent=sent))
        return facts

    def _travel_ends(self, ctx: _Ctx, sent: Any) -> list[Any]:
        """The places after "to", "for" or "from": a place entity, or a name the gazetteer
        or the corpus knows as a place whatever the tagger made of it ("to Tver")."""
        out = []
        for t in span_tokens(sent):
            if t.dep_ != "pobj" or t.head.lower_ not in ("to", "for", "from") or \
                    t.pos_ != "PROPN" or ctx.inq.inside(t.idx):
                continue
            ent = next((e for e in span_ents(sent) if e.start <= t.i < e.end), None)
            if ent is None or ent.label_ not in _PLACE_LABELS:
                left = t.left_edge.i if t.left_edge.pos_ == "PROPN" else t.i
                ent = ctx.doc[left:t.i + 1]
                if ent.text not in self.people.place_words and \
                        gazetteer().level(place_key(ent.text)) is None:
                    continue
            out.append(ent)
        return out

    @staticmethod
    def _traveller(prep: Any, vehicles: set[str], verbs: set[str]) -> tuple[str, Any] | None:
        """(destination or origin, the vehicle token) of a ``to``/``for``/``from`` phrase."""
        head = prep.head
        low = prep.lower_
        if head.lower_ == "from" and head.dep_ == "prep":
            head = head.head  # "from Tver to Pskov", parsed as one phrase
        event = "origin" if low == "from" else "destination"
        if head.lemma_.lower() in vehicles and low != "for":
            return event, head  # "the flight from Ahmedabad to London"
        if low == "to" and head.lower_ == "route" and head.head.lower_ == "en" or (
                low == "for" and head.lower_ in ("bound", "headed")):
            # "a passenger train en route to Moscow", "flight AI171, bound for London": the
            # vehicle just before the phrase
            start = head.i if head.lower_ != "route" else head.head.i
            for t in reversed(list(head.doc[max(head.sent.start, start - 6):start])):
                if t.lemma_.lower() in vehicles:
                    return event, t
                if t.dep_ == "compound" and t.head.lemma_.lower() in vehicles:
                    return event, t.head  # "flight AI171"
            return None
        if head.pos_ == "VERB" and head.lemma_.lower() in verbs and low != "for":
            if head.dep_ == "acl" and head.head.lemma_.lower() in vehicles:
                return event, head.head  # "a freight train heading to Novgorod"
            subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj and subj[0].lemma_.lower() in vehicles:
                return event, subj[0]  # "the train was travelling from Moscow to Klimov"
        return None


def _named(vehicle: Any) -> bool:
    """"Flight SU1402", "the MV Calloway": a vehicle with its own name or number."""
    near = [t for t in vehicle.children if t.dep_ in ("compound", "appos", "nummod",
                                                       "npadvmod")]
    if vehicle.dep_ == "compound":
        near.append(vehicle.head)  # "Flight SU1402": the number heads the phrase
    return any(t.pos_ == "PROPN" or (t.like_num and not t.is_alpha) for t in near)

