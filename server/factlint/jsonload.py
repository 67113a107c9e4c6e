"""JSON the index and the result cache write and read back: read by orjson (a fact row
decodes in ~3.5 µs instead of ~8.5 µs with the standard library; a check at 10,000 articles
decodes hundreds of rows it has not seen), except a text that orjson would refuse or read
otherwise, which :func:`dumps` marks for the standard library."""

from __future__ import annotations

import json
import re
from typing import Any

_orjson: Any = None  # the module, once the first fact decodes (False: not installed)

# what orjson refuses (NaN, Infinity: json.dumps writes them for such floats) or reads
# otherwise (19 digits in a row: maybe an integer beyond 64 bits, which it makes a float)
_NOT_FOR_ORJSON = re.compile(r"\d{19}|NaN|Infinity")
STDLIB = "~"  # a text that begins so is read by the json module


def dumps(value: Any) -> str:
    """``json.dumps(value)``, marked with :data:`STDLIB` where only :mod:`json` reads it
    back as it was."""
    text = json.dumps(value)
    return STDLIB + text if _NOT_FOR_ORJSON.search(text) else text


def loads(text: str) -> Any:
    """What :func:`dumps` (or ``json.dumps``, unmarked, if it holds nothing orjson
    misreads) wrote."""
    if text[:1] == STDLIB:
        return json.loads(text[1:])
    fast = _orjson if _orjson is not None else _import_orjson()
    if not fast:  # pragma: no cover
        return json.loads(text)
    try:
        return fast.loads(text)
    except fast.JSONDecodeError:  # unmarked, by json.dumps: NaN, say
        return json.loads(text)


def _import_orjson() -> Any:
    """orjson, imported on first use (a dependency; kept optional for odd platforms)."""
    global _orjson
    try:
        import orjson
    except ImportError:  # pragma: no cover
        _orjson = False
    else:
        _orjson = orjson
    return _orjson


def loads_plain(text: str) -> Any:
    """:func:`loads` by the standard library alone: for a one-off read, such as a cached
    result, where importing orjson (~4 ms, with uuid and platform) costs more than it saves."""
    return json.loads(text[1:] if text[:1] == STDLIB else text)
