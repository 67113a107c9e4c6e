"""The count claim kind: how many were killed, paid, counted — numbers, money, percentages.

A value is read from the text (digits, number words, vague quantities, money, percentages),
then tied to what it counts: the counted noun with the modifiers that change it ("suspected
cases" are not "cases", "four of the dead" is a part, not the toll) and the frame that governs
it in the parse. Two counts are compared only when they count the same thing of the same
frame and share what identifies the occurrence; nothing in the draft may set it apart.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from factlint.comparisons import counts_agree, majority_of, same_time
from factlint.doctools import doc_tokens, span_tokens
from factlint.factdb import anchor_terms, count_bucket
from factlint.facts import Fact
from factlint.kinds.age import AGE_THING
from factlint.names import any_overlap, norm_word

if TYPE_CHECKING:
    from factlint.diagnostics import Diagnostic
    from factlint.extract import _Ctx

Item = tuple[int, int, tuple[float, float | None], str, str | None]  # tokens, value, text, unit
_NUMERAL = re.compile(r"\d+(?:\.\d+)?")
_PARTITIVE_HEADS = {"of", "among"}
_PART_OF = {"them", "those", "which", "whom"}
_ONE_OF = {"a", "an", "another", "one"}


class CountExtraction:
    """Mixed into ``Extractor``: finds count facts in a sentence."""

    def _count_items(self, ctx: _Ctx, sent: Any) -> list[Item]:
        doc = ctx.doc
        date_spans = [(sent.start_char + d.start, sent.start_char + d.end)
                      for d in self.values.find_dates(ctx.sentence_text(sent), self.ref_date)]
        used: set[int] = self._age_tokens(ctx, sent)  # an age counts years of one person
        items: list[Item] = []

        def add_span(cs: int, ce: int, interval: tuple[float, float | None], unit: str | None,
                     qualified: bool = True) -> None:
            span = doc.char_span(cs, ce, alignment_mode="expand")
            if span is None or ctx.inq.inside(cs) or any(i in used for i in range(span.start,
                                                                                   span.end)):
                return
            start, text = span.start, span.text
            qual = self._qualifier(doc, span.start, sent.start) if qualified else None
            if qual:
                lo_f, hi_f = self.values.qualifiers.get(qual, (1.0, 1.0))
                interval = (interval[0] * float(lo_f) if lo_f is not None else 0.0,
                            (interval[1] or 0) * float(hi_f) if hi_f is not None else None)
                start -= len(qual.split())
                text = doc[start:span.end].text
            items.append((start, span.end, interval, text, unit))
            used.update(range(span.start, span.end))

        for q in self.values.quantities(ctx.sentence_text(sent)):
            add_span(sent.start_char + q.start, sent.start_char + q.end, (q.lo, q.hi), q.unit)
        for vs, ve, (lo, hi) in self.values.vague_spans(ctx.sentence_text(sent)):
            add_span(sent.start_char + vs, sent.start_char + ve, (lo, hi), None, False)
        toks = doc_tokens(doc)
        for t in toks[sent.start:sent.end]:
            spans = self.values.duration_words.get(t.lower_)
            if spans is None or t.i == sent.start:
                continue
            # "another decade", "two decades": a duration in the unit the others count
            unit, size = spans
            prev = toks[t.i - 1]
            n = 1.0 if prev.lower_ in _ONE_OF else self.values.number_value([prev.text])
            if n is not None:
                add_span(prev.idx, t.idx + len(t.text), (n * size, n * size), "dur " + unit)
        i = sent.start
        while i < sent.end:
            t = toks[i]
            if i in used or not self._numberish(t) or ctx.inq.inside(t.idx) \
                    or any(a <= t.idx < b for a, b in date_spans):
                i += 1
                continue
            j = i
            while j + 1 < sent.end and (self._numberish(toks[j + 1]) or (
                    toks[j + 1].lower_ == "and" and j + 2 < sent.end
                    and toks[j].lower_ in self.values.multipliers  # "two hundred and thirty"
                    and self._numberish(toks[j + 2]))):
                j += 1
            words = [x.text for x in toks[i:j + 1]]
            if _ago(doc, j):
                i = j + 1
                continue  # "two years ago" is a date, not a count
            if words[0].lower() in ("a", "an") and len(words) == 1:
                i += 1
                continue
            value = self.values.number_value(words)
            if value is None or t.ent_type_ in ("ORDINAL", "PERCENT", "MONEY", "TIME") or (
                    len(words) == 1 and words[0].lower() == "one" and j + 1 < sent.end
                    and doc[j + 1].lower_ == "of") or self._is_score(doc, i, j):
                i = j + 1
                continue
            qual = self._qualifier(doc, i, sent.start)
            lo, hi = self.values.interval(value, qual)
            first = i - len(qual.split()) if qual else i
            items.append((first, j + 1, (lo, hi), doc[first:j + 1].text, None))
            i = j + 1
        return items

    @staticmethod
    def _is_score(doc: Any, i: int, j: int) -> bool:
        """'1-0', '364 to 194': a score or tally is not a count of anything."""
        nxt = doc[j + 1] if j + 1 < len(doc) else None
        prv = doc[i - 1] if i > 0 else None
        if re.fullmatch(r"\d+[-–]\d+", doc[i].text):
            return True
        return bool(nxt is not None and nxt.text in ("-", "–") and j + 2 < len(doc)
                    and doc[j + 2].like_num) or bool(
            prv is not None and prv.text in ("-", "–") and i >= 2 and doc[i - 2].like_num)

    def _counts(self, ctx: _Ctx, sent: Any) -> list[Fact]:
        facts: list[Fact] = []
        doc = ctx.doc
        items = self._count_items(ctx, sent)
        if not items:
            return facts
        triggers = self._triggers(ctx, sent, lambda ev: ev.counted)
        by_tok = {}
        for ti, name in triggers:
            by_tok.setdefault(ti, name)
        anchors = when = None  # the same for every count of the sentence: computed once
        for start, end, interval, text, qunit in items:
            if qunit is not None and qunit.startswith("nth "):
                # "Marmoush's 41st-minute penalty": the minute of the penalty; "in the 36th
                # minute": the minute of what the predicate says happened
                after = end + (end < sent.end and doc[end].text in "-–")
                after += after < sent.end and doc[after].lower_ in self.values.ordinal_units
                thing, _, thing_tok = self._thing(doc, start, after, sent)
                unit = qunit
                if thing_tok is None or thing in self.generic_things:
                    thing, thing_tok = qunit[4:], None
            elif qunit is not None and qunit.startswith("dur "):
                thing, unit, thing_tok = qunit[4:], None, doc[end - 1]
            elif qunit == "percent":
                # "78% possession", "80 percent of possession": a share of that thing
                thing, unit, thing_tok = self._share_of(doc, end, sent) or ("percent", qunit,
                                                                             None)
            elif qunit is not None:
                thing = qunit if qunit == "tally" else "money"
                unit, thing_tok = qunit, None
            else:
                thing, unit, thing_tok = self._thing(doc, start, end, sent)
            event, lemma, head = self._count_event(ctx, doc, start, end, thing, thing_tok,
                                                   by_tok)
            if event is None and qunit is None and (
                    thing_tok is None or thing in self.generic_things):
                continue  # a specific thing ("attendance") says what it counts by itself
            if thing_tok is not None and thing_tok.i in by_tok and thing not in (
                    "person", "region") and unit is not None and qunit is None:
                thing = by_tok[thing_tok.i]  # "30-day truce" counts what "30-day ceasefire" does
            if thing is None:
                if event in ("killing", "injury", "exchange"):
                    thing = "person"
                else:
                    continue
            label = self._count_label(event, thing, unit, lemma)
            if anchors is None:
                anchors, when = self._anchors(ctx, sent), self._when(ctx, sent)
            key: dict[str, Any] = {"event": event, "thing": thing, "unit": unit, "label": label,
                                   "anchors": list(anchors), "when": list(when)}
            if lemma is not None:
                key["lemma"] = lemma
                if head is not None:
                    key["frames"] = self.frames.context(head)  # "scored the winner"
            mods = [m for m in self._thing_mods(thing_tok, end if qunit else start)
                    if m not in self.values.ordinal_units]
            if mods:
                key["mods"] = mods
            if self._is_part(doc, start, end, thing_tok) and unit != "percent":
                key["part"] = True  # (a share "of" something is no part of a count)
            if thing_tok is not None and thing_tok.i == start - 2 and doc[start - 1].text == ":":
                # "Home v Away. The Final. Attendance: 84,163": a statistics line is about
                # what its whole paragraph names
                key["stat"] = True
                names = {norm_word(t.text) for t in doc if t.text[:1].isupper() and t.is_alpha}
                key["context"] = sorted((set(self._anchors(ctx, doc[:])) | {
                    w for w in names if w}) - set(anchors))
            marks = self._occurrence_marks(ctx, sent, start, end)
            if marks:
                key["marks"] = marks
            key["content"] = self._content_words(ctx, sent, start, end)
            if (thing_tok is not None and (unit is None or qunit is not None)
                    and thing not in self.generic_things and thing != event) or thing == "money":
                key["by_thing"] = True  # "the £38 billion line" / "the line will cost £28bn"
            value = {"lo": interval[0], "hi": interval[1], "text": text}
            s = doc[start].idx
            e = doc[end - 1].idx + len(doc[end - 1].text)
            facts.append(self._fact(ctx, "count", key, value, (sent.start_char, sent.end_char),
                                    (s, e), sent=sent))
        return facts

    def _count_event(self, ctx: _Ctx, doc: Any, start: int, end: int, thing: str | None,
                     thing_tok: Any, by_tok: dict[int, str]) -> tuple[
            str | None, str | None, Any]:
        """The frame a count belongs to: the counted noun's own event ("15 deaths"), else the
        predicate that governs it in the parse (with its token), else a vocabulary trigger
        nearby."""
        if thing_tok is not None and thing_tok.i in by_tok:
            return by_tok[thing_tok.i], None, None
        if end in by_tok and thing_tok is None:
            return by_tok[end], None, None  # "five dead"
        root = thing_tok if thing_tok is not None else doc[end - 1]
        head = self.frames.governor(root, (start, max(end, root.i + 1)),
                                    blocked=lambda h: ctx.inq.inside(h.idx), stops=set(by_tok))
        if head is not None and not self._is_statement(head):
            if head.i in by_tok:
                return by_tok[head.i], None, None
            fh = self.frames.head(head)
            if fh.rule is not None and fh.rule.counted:
                return fh.group, None, None
            group = fh.group if fh.rule is None else self.frames.open_group(fh.lemma)
            return group, fh.lemma, head
        best = None
        for ti, name in by_tok.items():
            if start <= ti < end:
                continue
            dist = min(abs(ti - start), abs(ti - (end - 1)))
            if dist <= 6 and (best is None or dist < best[0]):
                best = (dist, name)
        return (best[1] if best else None), None, None

    def _thing_mods(self, thing_tok: Any, start: int) -> list[str]:
        """Modifiers that change what is counted: "suspected cases", "health workers",
        "Indian nationals" (between the number and the noun: in "a magnitude 6.1 quake"
        the word before the number names the measure, not a kind of quake)."""
        if thing_tok is None:
            return []
        out = []
        for c in thing_tok.children:
            if c.dep_ in ("amod", "compound", "nmod") and start <= c.i < thing_tok.i \
                    and c.is_alpha \
                    and not c.like_num and c.lower_ not in self.values.words \
                    and c.lemma_.lower() not in self.count_ignore_mods:
                out.append(c.lemma_.lower())
            elif c.dep_ == "prep" and c.lower_ == "of" and c.i == thing_tok.i + 1:
                # "2,000 doses of vaccine" count what "2,000 vaccine doses" do
                out += [g.lemma_.lower() for g in c.children
                        if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN") and g.is_alpha
                        and g.lemma_.lower() not in self.count_ignore_mods
                        and g.lemma_.lower() not in _PART_OF]
        return sorted(set(out))

    def _share_of(self, doc: Any, end: int, sent: Any) -> tuple[str, str, Any] | None:
        """(thing, "percent", token) of a percentage followed by the noun it is a share of:
        "78% possession", "80 percent of possession", "58 per cent of the ball"."""
        k = end
        if k < sent.end and doc[k].lower_ == "of":
            k += 1
            while k < sent.end and doc[k].pos_ in ("DET", "ADJ"):
                k += 1
        if k >= sent.end or doc[k].pos_ != "NOUN" or doc[k].text[:1].isupper():
            return None
        return self._thing_of(doc[k]), "percent", doc[k]

    @staticmethod
    def _is_part(doc: Any, start: int, end: int, thing_tok: Any) -> bool:
        """"Fourteen of the deaths", "four of them": a part of a total."""
        k = end
        if k < len(doc) and doc[k].lower_ in _PARTITIVE_HEADS:
            return True
        return thing_tok is not None and any(
            c.dep_ == "prep" and c.lower_ == "of" and c.i > thing_tok.i
            and any(g.dep_ == "pobj" and g.lemma_.lower() in _PART_OF
                    for g in c.children) for c in thing_tok.children)

    def _occurrence_marks(self, ctx: _Ctx, sent: Any, start: int, end: int,
                          head: Any = None) -> list[str]:
        """Words that single out one occurrence of a repeated event: ordinals ("the third
        round", "its 16th outbreak") and the rules' ``frames.occurrence_words``; with the
        frame's ``head``, only those of its own phrase ("founded in 1989", not the "later"
        of the clause around it)."""
        out = []
        for t in (head.subtree if head is not None else sent):
            if start - 2 <= t.i < end or ctx.inq.inside(t.idx) or \
                    t.ent_type_ in ("DATE", "TIME"):  # "the next 10 years", "last year"
                continue
            low = t.lower_
            if t.ent_type_ == "ORDINAL" or low in self.frames.occurrence_words:
                out.append(re.sub(r"\W", "", low))
        if head is not None and self.frames.group(head.lemma_.lower(), "VERB") == \
                self.frames.group("declare", "VERB") and any(
                    c.lower_ == "over" and not list(c.children) for c in head.children):
            out.append("end")  # "declared the outbreak over": its end, not its start
        return sorted(set(out))

    def _content_words(self, ctx: _Ctx, sent: Any, start: int, end: int) -> list[str]:
        """The sentence's content lemmas outside the value: what else it says."""
        return sorted({t.lemma_.lower() for t in span_tokens(sent)
                       if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ") and not t.is_stop
                       and t.is_alpha and not start <= t.i < end and not ctx.inq.inside(t.idx)})

    def _count_label(self, event: str | None, thing: str, unit: str | None,
                     lemma: str | None = None) -> str:
        ev = self.events.get(event) if event else None
        if unit == "percent" and thing != "percent":
            return f"the share of {thing}"
        if unit and unit.startswith("nth "):
            scale = unit[4:]
            if thing != scale:
                return f"the {scale} of the {thing}"
            return f"the {scale} ({lemma or (ev.label if ev else 'of the event')})"
        if ev:
            base = ev.label
        elif lemma:
            what = {"money": "the amount", "percent": "the share", "tally": "the vote"}.get(
                thing, f"the number of {thing}s")
            base = f"{what} ({lemma})"
        else:
            base = f"the number of {thing}s"
        if unit and thing not in ("money", "percent", "tally"):
            return f"{base} ({unit}s)"
        if ev and thing not in ("person", "money", "percent", "tally") and \
                thing not in (ev.nouns or ()):
            return f"{base} ({thing}s)"
        return base

    def _numberish(self, t: Any) -> bool:
        low = t.lower_.replace(",", "")
        if _NUMERAL.fullmatch(low):
            return True
        if low in self.values.words or low in self.values.multipliers:
            return low not in ("a", "an") or (t.i + 1 < len(t.doc) and (
                t.doc[t.i + 1].lower_ in self.values.multipliers
                or t.doc[t.i + 1].lower_ == "dozen"))
        return "-" in low and all(p in self.values.words for p in low.split("-"))

    def _qualifier(self, doc: Any, i: int, floor: int) -> str | None:
        for n in (3, 2, 1):
            if i - n < floor:
                continue
            words = " ".join(t.lower_ for t in doc[i - n:i])
            if words in self.values.qualifiers:
                return words
        return None

    def _thing(self, doc: Any, start: int, end: int, sent: Any) -> tuple[
            str | None, str | None, Any]:
        j = end
        unit = None
        if j + 1 < sent.end and doc[j].text == "-" and doc[j + 1].lower_ in self.values.units:
            unit = self.values.units[doc[j + 1].lower_]
            j += 2
        # skip adverbs/adjectives: "four partially occupied regions"
        k = j
        while k < sent.end and k < j + 3 and doc[k].pos_ in ("ADV", "ADJ", "VERB") and \
                doc[k].dep_ in ("advmod", "amod", "compound") and doc[k].pos_ != "NOUN":
            k += 1
        if k < sent.end and doc[k].lower_ == "of" and k + 1 < sent.end:
            k += 1
            while k < sent.end and doc[k].pos_ in ("ADJ", "DET"):
                k += 1
        if k < sent.end and doc[k].pos_ in ("NOUN", "PROPN") and not doc[k].text[:1].isupper():
            # the head of a compound: "prisoner exchange"
            tok = doc[k]
            while tok.dep_ == "compound" and tok.head.i > tok.i and tok.head.i < sent.end:
                tok = tok.head
            return self._thing_of(tok), unit, tok
        if unit is not None:
            return unit, unit, None
        num = doc[end - 1]
        label = None
        if start >= 2 and doc[start - 1].text == ":" and doc[start - 2].pos_ == "NOUN" \
                and doc[start - 2].i >= sent.start:
            label = doc[start - 2]  # "Attendance: 84,163": a label and its number
        elif num.dep_ == "pobj" and num.head.lower_ == "of" and num.head.head.pos_ == "NOUN" \
                and num.head.head.i < start:
            label = num.head.head  # "a crowd of 64,163"
        if label is not None:
            return self._thing_of(label), None, label
        return None, None, None

    def _thing_of(self, tok: Any) -> str:
        """The canonical thing a counted noun names (``numbers.things``: quake = earthquake),
        else its lemma."""
        lemma = tok.lemma_.lower()
        return self.values.things.get(tok.lower_, self.values.things.get(lemma, lemma))


class CountCheck:
    """Mixed into ``Checker``: compares a count claim with the corpus counts of the same
    thing and frame."""

    def _same_count(self, claim: Fact, f: Fact) -> bool:
        """Could these two be counts of one occurrence? The same predicate, the same counted
        thing with the same modifiers, both totals or both parts, and no mark (an ordinal
        such as "third round") in the draft that the corpus sentence lacks."""
        key, fk = claim.key, f.key
        if key.get("by_thing"):
            # the counted thing says what it is; only two vocabulary events can still differ
            if key["event"] in self.rules.events and fk["event"] in self.rules.events and \
                    key["event"] != fk["event"]:
                return False
        elif not self.frames.compatible(key, fk):
            return False
        if set(fk.get("mods") or []) != set(key.get("mods") or []):
            return False  # "suspected cases", "league goals": a part of the cases, the goals
        if bool(key.get("part")) != bool(fk.get("part")):
            return False
        mine, theirs = set(key.get("marks") or []), set(fk.get("marks") or [])
        if not mine <= theirs:
            return False  # "the third round": the corpus sentence is not about that one
        if theirs - mine:
            # the corpus value is one of several ("another exchange"): only a draft sentence
            # that says much the same thing is about that one
            words = set(key.get("content") or []) - self._frame_words(key)
            shared = len(words & set(fk.get("content") or []))
            return shared >= 2 and shared >= 0.6 * len(words)
        return True

    def _count_score(self, key: dict[str, Any], specific: list[str], f: Fact) -> int:
        """How well a corpus count is pinned to the claim's occurrence: a person in common
        weighs more than the words of a long name; another person than the draft's, none."""
        persons = self.index.people.persons
        mine = {a for a in key["anchors"] if a in persons}
        theirs = {a for a in f.key["anchors"] + (f.key.get("context") or []) if a in persons}
        if mine and theirs and not mine & theirs:
            return 0  # what someone else did
        others = [a for a in specific if a not in persons]
        # the words of one long name ("Northern Lights Children's Trust") count as one name
        named = min(3, any_overlap(others, f.key["anchors"] + (f.key.get("context") or [])))
        if others and not named and (key.get("unit") or "").startswith("nth "):
            return 0  # "the 71st minute" of the semi against Dundee: another match's clock
        return 4 * len(mine & theirs) + named

    def _frame_words(self, key: dict[str, Any]) -> set[str]:
        """The words that say what is counted and by which predicate: every count of the
        frame shares them, so they cannot tell its occurrences apart."""
        ev = self.rules.events.get(key.get("event") or "")
        words = {str(key.get("lemma") or ""), str(key.get("thing") or ""), "people", "person"}
        words.add("say")  # "..., the minister said": every report's verb
        if ev is not None:
            words |= set(ev.verbs) | set(ev.nouns)
        return words

    def _count_pool(self, claim: Fact, bucket: str) -> list[Fact]:
        """The corpus counts that may be the claim's, nothing specific in common: its bucket,
        and for an open frame the counts of the same thing whose frame words hold its
        predicate ("scored the winner in the 87th minute" for "the winner came in ...")."""
        key = claim.key

        def keep(f: Fact) -> bool:
            return same_time(claim, f) and self._same_count(claim, f)

        # too many of the bucket's facts to take a majority of: those naming all it names
        if not self.crowded_bucket("count", bucket):
            pool = self.index.majority_pool("count", bucket, keep)
        else:
            pool = [f for f in self.named_by_all("count", bucket, key["anchors"], claim) if keep(f)]
        if key.get("lemma") and not key.get("by_thing"):
            seen = {id(f) for f in pool}
            # a bound of its own: the frame's counts of every thing and unit, if not crowded
            frame = ["f:" + str(key["event"])]
            found = self.index.lookup("count", None, frame) if self.selective(frame) else \
                self.index.lookup_few("count", None, frame + anchor_terms(set(
                    key["anchors"])), self.crowded) if key["anchors"] else []
            pool += [f for f in found
                     if id(f) not in seen and f.key.get("thing") == key["thing"]
                     and f.key.get("unit") == key["unit"] and not f.key.get("by_thing")
                     and keep(f)]
        return pool

    def check_count(self, claim: Fact) -> list[Diagnostic]:
        key = claim.key
        bucket = count_bucket(key)  # same event, thing and unit
        specific = [a for a in key["anchors"] if not self.common(a)]
        # keyed fetch: the facts sharing a specific anchor; the whole bucket only when none does
        persons = [a for a in key["anchors"] if a in self.index.people.persons]
        if key["thing"] == AGE_THING:
            # an age is a person's, however often the corpus names them
            specific = list(dict.fromkeys(persons + specific))
        terms = anchor_terms(set(specific) | set(persons))
        if not specific:
            same = []
        elif key.get("lemma") and not key.get("by_thing"):
            # an open frame: any predicate among the words of the other's frame ("came in the
            # 87th minute" / "scored the winner in the 87th minute"), the same thing counted
            same = [f for f in self.index.lookup("count", None, terms)
                    if f.key.get("thing") == key["thing"] and f.key.get("unit") == key["unit"]
                    and not f.key.get("by_thing")]
        else:
            same = self.index.lookup("count", bucket, terms)
        same = [f for f in same if same_time(claim, f) and self._same_count(claim, f)]
        scored = [(self._count_score(key, specific, f), f) for f in same]
        cands = [(s, f) for s, f in scored if s > 0]
        if not cands:
            # nothing specific in common: the same event only if the corpus knows one answer
            if key["event"] is None and not key.get("by_thing"):
                return []
            # an open frame, or a thing counted outside any frame, is never identified by
            # its predicate or its noun alone
            is_open = bool(key.get("lemma")) or key["event"] is None
            pool = self._count_pool(claim, bucket)
            agreed = [] if is_open else majority_of(pool, counts_agree)
            if agreed:
                cands = [(0, f) for f in agreed]  # the corpus's one answer
            else:
                # nothing names the occurrence (and an open frame is never identified by its
                # predicate alone): what else the sentences say in common ranks the
                # candidates, and the best-ranked must agree among themselves (the verdict)
                words = set(key.get("content") or []) - self._frame_words(key)
                cands = [(len(words & set(f.key.get("content") or [])), f) for f in pool]
                # enough in common to be the same report: two words and two fifths of what
                # it says, or half of it
                cands = [(n, f) for n, f in cands if (n >= 2 and 5 * n >= 2 * len(words))
                         or (n >= 1 and 2 * n >= len(words))]
            if not cands:
                return []
        if not self.all_known(key, key["anchors"]):
            return []  # the draft names something the corpus never mentions: another event
        precise = [(n, f) for n, f in cands if not _vague(f.value)]
        if precise:
            cands = precise  # "many cases" says nothing where others give the number
        return self._verdict("number", claim, cands, lambda v: counts_agree(claim.value, v),
                             counts_agree)


def _vague(v: dict[str, Any]) -> bool:
    """An interval too wide to settle a number ("many", "dozens", "up to 400")."""
    lo, hi = v["lo"], v["hi"]
    if hi is None:
        return lo <= 0  # "at least 27" gives a number; "any number" does not
    return lo <= 0 or hi > lo * 1.5


def _ago(doc: Any, j: int) -> bool:
    nxt = [t.lower_ for t in doc[j + 1:j + 3]]
    return bool(nxt) and (nxt[0] == "ago" or (len(nxt) > 1 and nxt[1] == "ago"))
