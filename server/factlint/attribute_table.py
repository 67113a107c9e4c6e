"""The model's attribute ruler, matched by table lookup instead of spaCy's ``Matcher``.

``en_core_web_sm``'s ``attribute_ruler`` maps tags to parts of speech and morphology with ~180
patterns, nearly all of one token each; spaCy's ``Matcher`` tries every pattern at every token,
~11% of a paragraph's parse. The same patterns compile once into a table keyed by the four
attributes they read (a token's lower-case form, tag, dependency label and whether it is
space): a token asks the table once, by those attributes' hashes, which single-token patterns
it matches (worked out once per distinct key), and patterns of several tokens are tried only
where their first token matches. The matches are applied in the order spaCy applies them
(pattern by pattern, then by position), by spaCy's own ``set_token_attrs``, so the annotations
are the same. A ruler with a pattern outside what is compiled here (operators, other
attributes read or set, other predicates) is left as spaCy made it, and so is one whose
patterns change to such a pattern later.
"""

from __future__ import annotations

import re
from typing import Any

# the token attributes the compiled patterns may read, in the order a token's key holds them
KEY_ATTRS = ("LOWER", "TAG", "DEP", "IS_SPACE")
_ALIASES = {"lower": "LOWER", "tag": "TAG", "dep": "DEP", "is_space": "IS_SPACE"}
# what they may set: attributes of the token alone (spaCy's set_token_attrs also writes other
# attributes onto the word's lexeme, shared by its every token, where order would matter)
SET_ATTRS = ("TAG", "POS", "MORPH", "LEMMA", "DEP", "NORM")
_MOST_KEYS = 100_000  # distinct token keys kept (a corpus holds a few thousand)


class Unsupported(ValueError):
    """A pattern this module does not compile (the ruler keeps spaCy's matcher)."""


def install(nlp: Any) -> bool:
    """Match ``nlp``'s ``attribute_ruler`` by table, if it has one whose patterns all
    compile; True if it now does."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    try:
        table = AttributeTable(ruler)
    except Unsupported:
        return False
    ruler.match = table.match
    ruler.set_annotations = table.set_annotations
    return True


class _Test:
    """One predicate of one token spec, on a token key (KEY_ATTRS' hashes); picklable."""

    __slots__ = ("pos", "op", "value")

    def __init__(self, pos: int, op: str, value: Any) -> None:
        self.pos, self.op, self.value = pos, op, value

    def __call__(self, key: tuple[int, ...]) -> bool:
        v = key[self.pos]
        if self.op == "==":
            return v == self.value
        if self.op == "IN":
            return v in self.value
        if self.op == "NOT_IN":
            return v not in self.value
        return bool(self.value[0].search(self.value[1][v]))  # REGEX: (pattern, strings)


class _Spec:
    """One token's spec: every one of its tests."""

    __slots__ = ("tests",)

    def __init__(self, tests: list[_Test]) -> None:
        self.tests = tests

    def anchors(self) -> list[tuple[int, int]]:
        """(position, value) pairs one of which a matching token's key must hold: those of
        its equality or set test on the most selective attribute (KEY_ATTRS' order); none
        if it has neither."""
        for pos in range(len(KEY_ATTRS)):
            for t in self.tests:
                if t.pos == pos and t.op == "==":
                    return [(pos, t.value)]
                if t.pos == pos and t.op == "IN":
                    return [(pos, v) for v in t.value]
        return []

    def __call__(self, key: tuple[int, ...]) -> bool:
        return all(t(key) for t in self.tests)


class _Compiled:
    """The patterns of one state of a ruler (replaced whole when they change)."""

    def __init__(self, ruler: Any) -> None:
        from spacy.attrs import IDS
        from spacy.strings import get_string_id

        self.matcher, self.count = ruler.matcher, len(ruler.attrs)
        allowed = {IDS[a] for a in SET_ATTRS}
        if any(set(attrs) - allowed for attrs in ruler.attrs):
            raise Unsupported("an attribute set on the lexeme, or an extension's")
        self.match_ids = [get_string_id(str(a)) for a in range(self.count)]
        # single-token alternatives by one value a token must have for them (its lower-case
        # form, else its tag...), so a token new to the table tries a few, not all ~180
        self.anchored: dict[tuple[int, int], list[tuple[int, _Spec]]] = {}
        self.unanchored: list[tuple[int, _Spec]] = []
        self.multi: list[tuple[int, list[_Spec]]] = []  # (attr_id, its tokens' specs)
        for attr_id, pattern in enumerate(ruler.patterns):
            index = pattern.get("index", 0)
            for alternative in pattern["patterns"]:
                tokens = [_spec(spec, ruler.vocab.strings) for spec in alternative]
                if not tokens or not -len(tokens) <= index < len(tokens):
                    raise Unsupported(f"pattern {attr_id}: index {index} outside it")
                if len(tokens) > 1:
                    self.multi.append((attr_id, tokens))
                    continue
                anchors = tokens[0].anchors()
                for anchor in anchors:
                    self.anchored.setdefault(anchor, []).append((attr_id, tokens[0]))
                if not anchors:
                    self.unanchored.append((attr_id, tokens[0]))
        self.by_key: dict[tuple[int, ...], tuple[list[int], list[int], dict]] = {}

    def single(self, key: tuple[int, ...]) -> list[int]:
        """The single-token patterns a token key matches, in the ruler's order, each once."""
        found = {a for a, spec in self.unanchored if spec(key)}
        for pos, value in enumerate(key):
            found.update(a for a, spec in self.anchored.get((pos, value), ()) if spec(key))
        return sorted(found)

    def current(self, ruler: Any) -> bool:
        return ruler.matcher is self.matcher and len(ruler.attrs) == self.count


class AttributeTable:
    """An ``AttributeRuler``'s patterns compiled (see the module's docstring)."""

    def __init__(self, ruler: Any) -> None:
        from spacy.attrs import IDS

        self.ruler = ruler
        self._ids = [IDS[a] for a in KEY_ATTRS]
        self._table = _Compiled(ruler)

    def _current(self) -> _Compiled | None:
        """The compiled patterns, compiled again if the ruler's changed (clear, initialize
        and add replace or grow its matcher); None, and spaCy's methods back, if they no
        longer compile."""
        table = self._table
        if not table.current(self.ruler):
            try:
                table = self._table = _Compiled(self.ruler)
            except Unsupported:
                for name in ("match", "set_annotations"):
                    self.ruler.__dict__.pop(name, None)
                return None
        return table

    def _lookup(self, table: _Compiled, key: tuple[int, ...]
                ) -> tuple[list[int], list[int], dict]:
        """For one token key: the single-token patterns it matches, the patterns of several
        tokens that may start at it, and the single-token patterns' attributes merged in
        their order (what applying them one by one leaves)."""
        found = table.by_key.get(key)
        if found is None:
            if len(table.by_key) > _MOST_KEYS:
                table.by_key.clear()
            single = table.single(key)
            starts = [n for n, (_, tokens) in enumerate(table.multi) if tokens[0](key)]
            merged: dict = {}
            for a in single:
                merged.update(self.ruler.attrs[a])
            found = table.by_key[key] = (single, starts, merged)
        return found

    def _keys(self, doc: Any) -> list[tuple[int, ...]]:
        if not len(doc):
            return []
        return [tuple(row) for row in doc.to_array(self._ids).reshape(len(doc), -1).tolist()]

    def match(self, doc: Any) -> list[tuple[int, int, int, int]]:
        """What ``AttributeRuler.match`` returns: (attr_id, match_id, start, end), sorted,
        each once."""
        from spacy.pipeline import AttributeRuler

        table = self._current()
        if table is None:
            return AttributeRuler.match(self.ruler, doc)
        keys = self._keys(doc)
        ids = table.match_ids
        found = _Matches()
        for i, key in enumerate(keys):
            single, starts, _ = self._lookup(table, key)
            found += [(a, ids[a], i, i + 1) for a in single]
            if starts:
                found += [(a, ids[a], i, end) for a, end in _multi_at(table, keys, i, starts)]
        found.sort()
        found.token_keys, found.table = keys, table
        return found

    def set_annotations(self, doc: Any, matches: list[tuple[int, int, int, int]]) -> None:
        """Apply ``matches`` as ``AttributeRuler.set_annotations`` does: pattern by pattern,
        each at its token; a token only single-token patterns matched gets their merged
        attributes in one write (the same values: each write replaces a whole attribute of
        the token alone). Matches not from :meth:`match` go to spaCy's own method."""
        from spacy.pipeline import AttributeRuler
        from spacy.tokens._retokenize import set_token_attrs

        if not isinstance(matches, _Matches) or matches.table is not self._table:
            AttributeRuler.set_annotations(self.ruler, doc, matches)
            return
        attrs, indices = self.ruler.attrs, self.ruler.indices
        by_multi = {s + indices[a] if indices[a] >= 0 else e + indices[a]
                    for a, _, s, e in matches if e - s > 1}
        for attr_id, _, start, end in matches:
            if end - start == 1 and start not in by_multi:
                continue
            index = indices[attr_id]
            set_token_attrs(doc[start + index if index >= 0 else end + index], attrs[attr_id])
        for i, key in enumerate(matches.token_keys):
            if i not in by_multi:
                merged = self._lookup(matches.table, key)[2]
                if merged:
                    set_token_attrs(doc[i], merged)


def _multi_at(table: _Compiled, keys: list[tuple[int, ...]], i: int, starts: list[int]
              ) -> list[tuple[int, int]]:
    """(attr_id, end) of the patterns of several tokens that match from token ``i``, each
    once."""
    out = []
    for n in starts:
        attr_id, tokens = table.multi[n]
        end = i + len(tokens)
        if end <= len(keys) and all(t(keys[j]) for j, t in zip(
                range(i + 1, end), tokens[1:], strict=True)):
            out.append((attr_id, end))
    return list(dict.fromkeys(out))


class _Matches(list[tuple[int, int, int, int]]):
    """Matches, with the token keys and the compiled patterns they were found by."""

    token_keys: list[tuple[int, ...]] = []
    table: _Compiled | None = None


def _spec(spec: dict[str, Any], strings: Any) -> _Spec:
    """One token's spec as tests of a token key."""
    tests = []
    for name, value in spec.items():
        attr = _ALIASES.get(name, name)
        if attr not in KEY_ATTRS:
            raise Unsupported(f"attribute {name!r}")
        tests.append(_test(KEY_ATTRS.index(attr), attr, value, strings))
    return _Spec(tests)


def _test(pos: int, attr: str, value: Any, strings: Any) -> _Test:
    from spacy.strings import get_string_id

    def hashed(v: Any) -> int:
        if attr == "IS_SPACE":
            if not isinstance(v, bool):
                raise Unsupported(f"IS_SPACE {v!r}")
            return int(v)
        if not isinstance(v, str):
            raise Unsupported(f"{attr} {v!r}")
        return get_string_id(v)

    if not isinstance(value, dict):
        return _Test(pos, "==", hashed(value))
    if len(value) != 1:
        raise Unsupported(f"{attr} {value!r}")
    (op, arg), = value.items()
    if op in ("IN", "NOT_IN") and isinstance(arg, list):
        return _Test(pos, op, frozenset(hashed(v) for v in arg))
    if op == "REGEX" and isinstance(arg, str) and attr != "IS_SPACE":
        return _Test(pos, "REGEX", (re.compile(arg), strings))
    raise Unsupported(f"{attr} {value!r}")
