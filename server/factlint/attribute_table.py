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
attributes, other predicates) is left as spaCy made it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# the token attributes the compiled patterns may read, in the order a token's key holds them
KEY_ATTRS = ("LOWER", "TAG", "DEP", "IS_SPACE")
_ALIASES = {"lower": "LOWER", "tag": "TAG", "dep": "DEP", "is_space": "IS_SPACE"}
_MOST_KEYS = 100_000  # distinct token keys kept (a corpus holds a few thousand)

Predicate = Callable[[tuple[int, ...]], bool]


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


class AttributeTable:
    """An ``AttributeRuler``'s patterns compiled (see the module's docstring)."""

    def __init__(self, ruler: Any) -> None:
        self.ruler = ruler
        self._compile()

    def _compile(self) -> None:
        from spacy.attrs import IDS
        from spacy.strings import get_string_id

        self._ids = [IDS[a] for a in KEY_ATTRS]
        strings = self.ruler.vocab.strings
        self._single: list[tuple[int, Predicate]] = []  # (attr_id, predicate) per alternative
        self._multi: list[tuple[int, int, list[Predicate]]] = []  # (attr_id, index, tokens)
        self.compiled_for = len(self.ruler.attrs)
        if any("_" in attrs for attrs in self.ruler.attrs):
            raise Unsupported("extension attributes")  # (merged per token below: not so)
        self._match_ids = [get_string_id(str(a)) for a in range(self.compiled_for)]
        for attr_id, pattern in enumerate(self.ruler.patterns):
            index = pattern.get("index", 0)
            for alternative in pattern["patterns"]:
                tokens = [_predicate(spec, strings) for spec in alternative]
                if not tokens or not -len(tokens) <= index < len(tokens):
                    raise Unsupported(f"pattern {attr_id}: index {index} outside it")
                if len(tokens) == 1:
                    self._single.append((attr_id, tokens[0]))
                else:
                    self._multi.append((attr_id, index, tokens))
        self._by_key: dict[tuple[int, ...], tuple[list[int], list[int], dict]] = {}

    def _lookup(self, key: tuple[int, ...]) -> tuple[list[int], list[int], dict]:
        """For one token key: the single-token patterns it matches, the patterns of several
        tokens that may start at it, and the single-token patterns' attributes merged in
        their order (what applying them one by one leaves)."""
        found = self._by_key.get(key)
        if found is None:
            if len(self._by_key) > _MOST_KEYS:
                self._by_key.clear()
            single = [a for a, test in self._single if test(key)]
            starts = [n for n, (_, _, tokens) in enumerate(self._multi) if tokens[0](key)]
            merged: dict = {}
            for a in single:
                merged.update(self.ruler.attrs[a])
            found = self._by_key[key] = (single, starts, merged)
        return found

    def _keys(self, doc: Any) -> list[tuple[int, ...]]:
        if len(self.ruler.attrs) != self.compiled_for:
            self._compile()  # patterns were added or cleared since
        return [tuple(row) for row in doc.to_array(self._ids).tolist()] if len(doc) else []

    def match(self, doc: Any) -> _Matches:
        """What ``AttributeRuler.match`` returns: (attr_id, match_id, start, end), sorted."""
        keys = self._keys(doc)
        ids = self._match_ids
        found = _Matches()
        for i, key in enumerate(keys):
            single, starts, _ = self._lookup(key)
            found += [(a, ids[a], i, i + 1) for a in single]
            if starts:
                found += [(a, ids[a], i, end) for a, end in self._multi_at(keys, i, starts)]
        found.sort()
        found.token_keys = keys
        return found

    def _multi_at(self, keys: list[tuple[int, ...]], i: int, starts: list[int]
                  ) -> list[tuple[int, int]]:
        out = []
        for n in starts:
            attr_id, _, tokens = self._multi[n]
            end = i + len(tokens)
            if end <= len(keys) and all(t(keys[j]) for j, t in zip(
                    range(i + 1, end), tokens[1:], strict=True)):
                out.append((attr_id, end))
        return out

    def set_annotations(self, doc: Any, matches: list[tuple[int, int, int, int]]) -> None:
        """Apply ``matches`` as ``AttributeRuler.set_annotations`` does: pattern by pattern,
        each at its token; a token only single-token patterns matched gets their merged
        attributes in one write (the same values: each write replaces a whole attribute)."""
        from spacy.tokens._retokenize import set_token_attrs

        attrs, indices = self.ruler.attrs, self.ruler.indices
        by_multi = {s + indices[a] if indices[a] >= 0 else e + indices[a]
                    for a, _, s, e in matches if e - s > 1}
        for attr_id, _, start, end in matches:
            if end - start == 1 and start not in by_multi:
                continue
            index = indices[attr_id]
            set_token_attrs(doc[start + index if index >= 0 else end + index], attrs[attr_id])
        if not matches:
            return
        keys = getattr(matches, "token_keys", None)
        for i, key in enumerate(self._keys(doc) if keys is None else keys):
            if i not in by_multi:
                merged = self._lookup(key)[2]
                if merged:
                    set_token_attrs(doc[i], merged)


class _Matches(list[tuple[int, int, int, int]]):
    """Matches, and the token keys they were found from (read again by nobody else)."""

    token_keys: list[tuple[int, ...]] | None = None


def _predicate(spec: dict[str, Any], strings: Any) -> Predicate:
    """One token's spec as a test of a token key (KEY_ATTRS' hashes)."""
    tests: list[Callable[[tuple[int, ...]], bool]] = []
    for name, value in spec.items():
        attr = _ALIASES.get(name, name)
        if attr not in KEY_ATTRS:
            raise Unsupported(f"attribute {name!r}")
        tests.append(_test(KEY_ATTRS.index(attr), attr, value, strings))
    return lambda key: all(t(key) for t in tests)


def _test(pos: int, attr: str, value: Any, strings: Any) -> Callable[[tuple[int, ...]], bool]:
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
        want = hashed(value)
        return lambda key: key[pos] == want
    if len(value) != 1:
        raise Unsupported(f"{attr} {value!r}")
    (op, arg), = value.items()
    if op in ("IN", "NOT_IN") and isinstance(arg, list):
        allowed = {hashed(v) for v in arg}
        if op == "IN":
            return lambda key: key[pos] in allowed
        return lambda key: key[pos] not in allowed
    if op == "REGEX" and isinstance(arg, str) and attr != "IS_SPACE":
        rx = re.compile(arg)
        return lambda key: bool(rx.search(strings[key[pos]]))
    raise Unsupported(f"{attr} {value!r}")
