"""A person's age: a count claim of its own ("the number of years" of one person).

"Guehi, 27, was substituted", "Glasner (50)": the number set off after a name is that
person's age. "The 24-year-old still managed to lift the trophy": a bare "the N-year-old"
is the person the text is about (the discourse focus, as "he said" is) when the sentence
before named that person and no one else. "A 34-year-old pregnant woman" describes someone
the corpus cannot tell from other pregnant women: no claim. Ages are compared like every count
(``kinds/count.py``), by the person in common.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from factlint.doctools import span_tokens
from factlint.facts import Fact

if TYPE_CHECKING:
    from factlint.extract import _Ctx, _State

AGE_THING = "age"
_MAX_AGE = 120
_DIGIT = re.compile(r"\d")


class AgeExtraction:
    """Mixed into ``Extractor``: ages of people in a sentence."""

    def _age_spans(self, ctx: _Ctx, sent: Any, state: _State | None
                   ) -> list[tuple[int, int, str]]:
        """(token, age, person id) of each age of a person in the sentence."""
        doc = ctx.doc
        out: list[tuple[int, int, str]] = []
        if _DIGIT.search(ctx.sentence_text(sent)) is None:
            return out  # (most sentences: no token loop)
        for m in ctx.mentions:
            i = m.end  # "Guehi, 27," / "Glasner (50)"
            if not sent.start <= m.start < sent.end or i + 2 >= sent.end:
                continue
            opener, num, closer = doc[i], doc[i + 1], doc[i + 2]
            if (opener.text, closer.text) in ((",", ","), ("(", ")")) and _age(num.text):
                out.append((i + 1, int(num.text), m.person))
        year_olds = self._year_olds(ctx, sent)
        if not year_olds or state is None:
            return out  # (what the state says is read only where it can matter)
        focus = state.focus
        if focus is None or state.last != (focus,) or focus not in self.people.persons:
            return out  # "the N-year-old" needs the one person the last sentence named
        for t in year_olds:
            after = doc[t.i + 5] if t.i + 5 < sent.end else None
            if after is not None and after.pos_ in ("ADJ", "NOUN", "PROPN"):
                continue  # "a 34-year-old pregnant woman": no one the corpus can tell apart
            # "The 24-year-old still managed ...": the one person the last sentence named,
            # who is also the one the text is about
            det = doc[t.i - 1] if t.i > sent.start else None
            named = any(sent.start <= m.start < sent.end and m.start < t.i
                        for m in ctx.mentions)
            if det is not None and det.lower_ == "the" and not named:
                out.append((t.i, int(t.text), focus))
        return out

    @staticmethod
    def _year_olds(ctx: _Ctx, sent: Any) -> list[Any]:
        """The number tokens of "N-year-old" in the sentence (outside quotations)."""
        if "year-old" not in ctx.sentence_text(sent).lower():
            return []
        doc = ctx.doc
        return [t for t in span_tokens(sent) if _age(t.text) and not ctx.inq.inside(t.idx)
                and t.i + 4 < sent.end
                and [x.lower_ for x in doc[t.i + 1:t.i + 5]] == ["-", "year", "-", "old"]]

    def _age_tokens(self, ctx: _Ctx, sent: Any) -> set[int]:
        """The tokens of ages in the sentence, whoever they are of: no other count."""
        return {i for i, _, _ in self._age_spans(ctx, sent, None)} | {
            t.i for t in self._year_olds(ctx, sent)}

    def _ages(self, ctx: _Ctx, sent: Any, state: _State | None) -> list[Fact]:
        facts = []
        for i, years, pid in self._age_spans(ctx, sent, state):
            key: dict[str, Any] = {
                "event": None, "thing": AGE_THING, "unit": "year",
                "label": f"the age of {self.people.name(pid)}", "anchors": [pid], "when": [],
                "by_thing": True, "content": self._content_words(ctx, sent, i, i + 1)}
            tok = ctx.doc[i]
            facts.append(self._fact(ctx, "count", key,
                                    {"lo": float(years), "hi": float(years), "text": tok.text},
                                    (sent.start_char, sent.end_char),
                                    (tok.idx, tok.idx + len(tok.text)), sent=sent))
        return facts


def _age(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 3 and 0 < int(text) <= _MAX_AGE
