"""Checking a user's rule file against the shape of the bundled rules.

The bundled rule files are the schema: every value a user's file sets must have the shape
of the bundled value it extends or replaces (a mapping, a list, a number, a string...), a
new entry of a mapping the shape of its bundled siblings (a new ``numbers.words`` entry is
a number, a new event a mapping of event keys), the items of a list the shape of the
bundled items, and a list that is a pair in every bundled sibling (``dates.parts``,
``numbers.vague``) a pair too. A mismatch is a :class:`FactlintError` naming the file and
the line, raised when the rules load, instead of a ``TypeError`` deep inside a check.

Message templates may only use the placeholders the checks fill in, and no attribute or
index lookups (``{claimed.__class__}``): a template is data, never code.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from factlint.errors import FactlintError

PLACEHOLDERS = ("claimed", "expected", "subject", "source", "line")
_KIND_WORDS = {"mapping": "a mapping", "list": "a list", "string": "a string",
               "number": "a number", "bool": "true or false", "null": "null"}


def kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list):
        return "list"
    return type(value).__name__  # a YAML timestamp, binary...: never in the bundled rules


@dataclass
class Shape:
    """What the bundled examples of one place in the rules look like."""

    kinds: set[str] = field(default_factory=set)
    keys: dict[str, Shape] = field(default_factory=dict)  # mapping: known keys
    values: Shape | None = None  # mapping: any entry (for keys the bundled rules lack)
    items: Shape | None = None  # list: any item
    length: int | None = None  # list: the one length of every bundled sibling (pairs)


def build_shape(examples: list[Any]) -> Shape:
    shape = Shape(kinds={kind_of(e) for e in examples})
    maps = [e for e in examples if isinstance(e, dict)]
    if maps:
        names = {str(k) for m in maps for k in m}
        shape.keys = {k: build_shape([v for m in maps for kk, v in m.items() if str(kk) == k])
                      for k in names}
        entries = [v for m in maps for v in m.values()]
        shape.values = build_shape(entries) if entries else None
        if shape.values is not None and shape.values.length is not None:
            for sub in shape.keys.values():  # every entry a pair: each known one too
                sub.length = sub.length or shape.values.length
    lists = [e for e in examples if isinstance(e, list)]
    if lists:
        items = [x for lst in lists for x in lst]
        shape.items = build_shape(items) if items else None
        lengths = {len(lst) for lst in lists}
        if len(lists) >= 2 and len(lengths) == 1:
            shape.length = lengths.pop()
    return shape


def _describe(kinds: set[str]) -> str:
    words = [_KIND_WORDS.get(k, k) for k in sorted(kinds) if k != "null"]
    return " or ".join(words) or "null"


def _line(node: yaml.Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


def _children(node: yaml.Node | None) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _check(shape: Shape, value: Any, node: yaml.Node | None, where: str, path: Path) -> None:
    kind = kind_of(value)
    # null is "not set" (the loader reads it as empty) except where a number must be
    if shape.kinds and kind not in shape.kinds and not (kind == "null"
                                                        and shape.kinds != {"number"}):
        raise FactlintError(f"{where} must be {_describe(shape.kinds)} (as in the bundled "
                            f"rules), not {_KIND_WORDS.get(kind, kind)}", str(path), _line(node))
    if kind == "mapping":
        children = _children(node)
        for key, sub in value.items():
            sub_shape = shape.keys.get(str(key)) or shape.values
            if sub_shape is not None:
                child = children.get(str(key), node)
                _check(sub_shape, sub, child, f"{where}.{key}", path)
    elif kind == "list":
        if shape.length is not None and len(value) != shape.length:
            raise FactlintError(f"{where} must be a list of {shape.length} items (as in the "
                                "bundled rules)", str(path), _line(node))
        if shape.items is not None:
            nodes = node.value if isinstance(node, yaml.SequenceNode) else []
            for i, item in enumerate(value):
                item_node = nodes[i] if i < len(nodes) else node
                _check(shape.items, item, item_node, f"{where}[{i}]", path)


def check_template(template: str, where: str, path: Path, line: int | None) -> None:
    """A message template: valid ``str.format`` syntax, known placeholders only."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise FactlintError(f"{where}: invalid message template ({exc})", str(path),
                            line) from None
    for _, name, spec, _ in fields:
        if name is None:
            continue
        if name not in PLACEHOLDERS or (spec and "{" in spec):
            raise FactlintError(f"{where}: unknown placeholder {{{name}}} in message (use "
                                f"{', '.join('{' + p + '}' for p in PLACEHOLDERS)})",
                                str(path), line)


def check_rule_file(path: Path, data: Any, reference: dict[str, Any]) -> None:
    """Raise FactlintError (file, line) where ``data`` (a user's rule file, already through
    the loader's section checks) does not have the shape of ``reference`` (the bundled
    rules, merged)."""
    if not isinstance(data, dict):
        return
    text = path.read_text(encoding="utf-8")
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    children = _children(root)
    for section, value in data.items():
        name = str(section)
        node = children.get(name)
        if name in reference:
            _check(build_shape([reference[name]]), value, node, name, path)
    for code, spec in (data.get("checks") or {}).items():
        if isinstance(spec, dict) and isinstance(spec.get("message"), str):
            check_node = _children(children.get("checks")).get(str(code))
            message_node = _children(check_node).get("message", check_node)
            check_template(spec["message"], f"check {code!r}", path, _line(message_node))
