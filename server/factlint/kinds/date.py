"""The date claim kind: when something happened.

A date belongs to the frame that governs it in the parse (any verb or event noun: "completed
the purchase in September", "the outbreak declared on 4 September"); the events vocabulary
tunes a few events ("last met", agreements known by their name). Dates compare at the
coarser granularity of the two ("late 2019" agrees with "December 2019").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from factlint.comparisons import head_first, majority_of
from factlint.doctools import span_tokens
from factlint.doctools import token_at as _token_at
from factlint.factdb import anchor_terms, date_terms
from factlint.facts import Fact
from factlint.kinds.statement_date import STATEMENT
from factlint.names import any_overlap, norm_word
from factlint.values import date_precision, dates_agree, dates_comparable

if TYPE_CHECKING:
    from factlint.diagnostics import Diagnostic
    from factlint.extract import _Ctx


_RELATIONS = {"since", "until", "till", "by", "before", "after", "from", "through"}


class DateExtraction:
    """Mixed into ``Extractor``: finds date facts in a sentence."""

    def _dates(self, ctx: _Ctx, sent: Any) -> list[Fact]:
        facts: list[Fact] = []
        text = ctx.sentence_text(sent)
        found = self.values.find_dates(text, self.ref_date)
        if self.ref_date is None:
            # no article date: a bare weekday is still the day of a statement
            taken = [(d.start, d.end) for d in found]
            found += [w for w in self.values.weekdays(text)
                      if not any(a <= w.start < b for a, b in taken)]
        found = [d for d in found if not ctx.inq.inside(sent.start_char + d.start)]
        if not found:
            return facts
        triggers = self._triggers(ctx, sent, lambda ev: ev.dated)
        for d in found:
            dstart = sent.start_char + d.start
            dtok = _token_at(ctx.doc, dstart)
            if dtok is None:
                continue
            key = self._date_key(ctx, sent, d, dstart, dtok, triggers,
                                 statement_only=d.weekday is not None)
            if key is None:
                continue
            facts.append(self._fact(ctx, "date", key, d.to_json(),
                                    (sent.start_char, sent.end_char),
                                    (dstart, dstart + d.end - d.start), sent=sent))
        return facts

    def _date_key(self, ctx: _Ctx, sent: Any, d: Any, dstart: int, dtok: Any,
                  triggers: list[tuple[int, str]], statement_only: bool = False
                  ) -> dict[str, Any] | None:
        """What a date is the date of: the frame that governs it in the parse, or, for the
        vocabulary's tuned events, the nearest trigger (``statement_only``: a bare weekday,
        which only a statement's date can be)."""
        span = ctx.doc.char_span(dstart, dstart + d.end - d.start, alignment_mode="expand")
        head = None
        trigger_ids = {ti for ti, _ in triggers}
        if span is not None:
            head = self.frames.governor(span.root, (span.start, span.end),
                                        blocked=lambda h: ctx.inq.inside(h.idx),
                                        stops=trigger_ids)
        if head is not None and head.pos_ == "NOUN" and head.i not in trigger_ids:
            up = head.head.head if head.dep_ == "pobj" else head.head
            if head.dep_ in ("dobj", "nsubjpass") and up.pos_ == "VERB" and \
                    self.frames.can_head(up) and not self._is_statement(up):
                # "declared the outbreak on Thursday", "backed it at second reading on
                # 4 March": the date of the declaring, the backing
                head = up
        if head is not None and (self._is_statement(head) or self._is_stance(head)):
            # "said on Friday": the date of a statement, not of an event
            ctx.dated_verbs.add(head.i)
            if head.dep_ in ("acl", "amod"):
                return None  # "a woman admitted to hospital on Aug. 20" reports nothing
            return self._statement_key(ctx, sent, head, (dstart, dstart + d.end - d.start))
        if statement_only:
            return None
        if head is not None and head.i not in trigger_ids:
            inner = self._inner_trigger(head, trigger_ids)
            if inner is not None:
                head = inner
        if head is not None and head.i not in trigger_ids:
            fh = self.frames.head(head)
            if fh.rule is None or not fh.rule.dated:
                # any predicate: the vocabulary only tunes the events it lists
                group = fh.group if fh.rule is None else self.frames.open_group(fh.lemma)
                return self._open_date_key(ctx, sent, d, dstart, head, fh.lemma, group)
        if not triggers:
            return None
        best = None
        for ti, name in triggers:
            dist = abs(ti - dtok.i) + (0.5 if ti > dtok.i else 0)
            if head is not None and ti == head.i:
                dist = -1
            if best is None or dist < best[0]:
                best = (dist, ti, name)
        assert best is not None
        _, ti, name = best
        names = {n for i, n in triggers if i == ti}
        if "last-meeting" in names:
            low_tokens = [t for t in span_tokens(sent) if not ctx.inq.inside(t.idx)]
            has_neg = any(t.lower_ in self.negations for t in low_tokens)
            prev = ctx.doc[max(0, dtok.i - 2):dtok.i]
            since = any(t.lower_ == "since" for t in prev)
            last = any(t.lower_ == "last" for t in ctx.doc[max(sent.start, ti - 6):ti + 1])
            if not (last or (since and has_neg)):
                return None
            ev = self.events["last-meeting"]
        else:
            cands = [self.events[n] for n in names if self.events[n].dated]
            if not cands:
                return None
            ev = cands[0]
        persons = self._persons(ctx, sent)
        args = self._anchors(ctx, sent, exclude=(dstart, dstart + d.end - d.start))
        key: dict[str, Any] = {"event": ev.name, "label": ev.label, "persons": persons,
                               "args": args, "object": self._event_object(ctx, ti)}
        if ev.participants == "persons" and len(persons) < 2:
            return None
        if ev.needs_name:
            names_ = self._event_name(ctx, ti)
            if not names_:
                return None
            key["name"] = names_
        return key

    def _open_date_key(self, ctx: _Ctx, sent: Any, d: Any, dstart: int, head: Any,
                       lemma: str, group: str) -> dict[str, Any] | None:
        obj = self._event_object(ctx, head.i)
        if not obj and head.pos_ == "NOUN" and head.dep_ in ("dobj", "nsubjpass"):
            obj = [head.lemma_.lower()]  # "declared [the outbreak] on Thursday"
        obj = obj + [w for w in self._subject_nouns(head) if w not in obj]
        args = self._anchors(ctx, sent, exclude=(dstart, dstart + d.end - d.start))
        if not args and not obj:
            return None  # nothing says which occurrence it is
        key = {"event": group, "lemma": lemma, "label": self._frame_label(head, obj),
               "persons": self._persons(ctx, sent), "args": args, "object": obj,
               "open": True, "frames": self.frames.context(head),
               "local": self._local_anchors(ctx, head, (dstart, dstart + d.end - d.start))}
        span = ctx.doc.char_span(dstart, dstart + d.end - d.start, alignment_mode="expand")
        gov = span.root.head if span is not None else None
        rel = gov.lower_ if gov is not None and gov.lower_ in _RELATIONS else None
        if rel:
            key["rel"] = rel  # "minister since 2023" is not "resigned in 2023"
        if span is not None:
            marks = self._occurrence_marks(ctx, sent, span.start, span.end, head)
            if marks:
                key["marks"] = marks  # "at second reading" is not the third
        return key

    def _event_name(self, ctx: _Ctx, ti: int) -> list[str]:
        tok = ctx.doc[ti]
        if tok.pos_ == "VERB":
            objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
            if not objs:
                return []
            tok = objs[0]
        out = []
        for t in ctx.doc[max(0, tok.i - 3):tok.i + 1]:
            if t.pos_ == "PROPN" and t.text[:1].isupper() and t.i != tok.i:
                out.append(norm_word(t.text))
        if tok.text[:1].isupper() and tok.i + 2 < len(ctx.doc) \
                and ctx.doc[tok.i + 1].lower_ == "of":
            nxt = ctx.doc[tok.i + 2]
            if nxt.pos_ == "PROPN":
                out.append(norm_word(nxt.text))
        return out


class DateCheck:
    """Mixed into ``Checker``: compares a date claim with the corpus dates of the same
    frame."""

    def check_date(self, claim: Fact) -> list[Diagnostic]:
        key = claim.key
        if key["event"] == STATEMENT:
            return self.check_statement_date(claim)
        cands = []
        # keyed fetch: the event's facts sharing the claim's key terms (all of them when the
        # comparison below needs every one: no specific argument)
        specific_args = [a for a in key["args"] if not self.common(a)]
        if key.get("open"):
            # an open frame: any frame about the same happening that shares a name or object
            # (one that is not on crowds of facts)
            terms = self.selective(anchor_terms(key["args"] + (key.get("object") or [])))
            found = self.index.lookup("date", None, terms) if terms else []
        else:
            terms = date_terms(key, specific_args)
            if terms is None and self.crowded_bucket("date", key["event"]):
                # nothing specific, and too many of the event's facts to take a majority of:
                # those naming everything the claim names
                found = self.named_by_all("date", key["event"], key["args"])
            else:
                found = self.index.lookup("date", key["event"], terms)
        for f in found:
            fk = f.key
            if bool(fk.get("open")) != bool(key.get("open")) or (
                    not key.get("open") and fk["event"] != key["event"]):
                continue
            if key["event"] == "last-meeting":
                if set(fk["persons"]) != set(key["persons"]):
                    continue
                cands.append((2, f))
            elif "name" in key:
                if any_overlap(key["name"], fk.get("name", [])):
                    cands.append((2, f))
            else:
                if not self.frames.compatible(key, fk) or key.get("rel") != fk.get("rel") or \
                        set(key.get("marks") or []) != set(fk.get("marks") or []):
                    continue  # another predicate, relation to the date, or occurrence
                mine, theirs = key.get("object") or [], fk.get("object") or []
                if mine and theirs and not any_overlap(mine, theirs) and not key.get("open"):
                    continue  # annexed other regions than the corpus's annexation
                shared = any_overlap(key["args"], fk["args"])
                if key.get("open") and not shared and not (mine and any_overlap(mine, theirs)):
                    continue  # an open frame is identified by what it shares, never alone
                cands.append((shared, f))
        if not cands:
            return []
        if key["event"] != "last-meeting" and "name" not in key:
            if not self.all_known(key, key.get("local", key["args"])):
                return []  # the draft names something the corpus never mentions
            specific = [a for a in key["args"] if not self.common(a)]
            if specific:
                rescored = [(any_overlap(specific, f.key["args"]), f) for _, f in cands]
                pinned = [(n, f) for n, f in rescored if n > 0]
                if pinned or not key.get("open"):
                    cands = pinned
                # else an open frame keeps what it shares: its own predicate must then be
                # the corpus's (the majority of those decides)
                elif not any(f.key["event"] == key["event"] for _, f in cands):
                    return []
            elif not majority_of([f for _, f in cands], dates_agree):
                return []  # nothing specific, and the corpus gives no one date
            if not cands:
                return []
        cands = [(n, f) for n, f in cands if dates_comparable(claim.value, f.value)]
        if not cands:
            return []
        # a coarser date only fails to contradict: where the corpus gives this occurrence's
        # date as finely as the claim does and none of those agree, they decide ("2022" does
        # not confirm "March 2022" beside "February 2022"); where they agree, the coarser
        # sources are support too
        fine = [(n, f) for n, f in cands
                if date_precision(f.value) >= date_precision(claim.value)]
        if fine and not any(dates_agree(claim.value, f.value) for _, f in fine):
            cands = fine
        cands = head_first(key, cands)
        return self._verdict("date", claim, cands, lambda v: dates_agree(claim.value, v),
                             dates_agree)
