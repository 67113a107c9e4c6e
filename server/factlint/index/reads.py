"""What a document's extraction read of the corpus-wide state, and whether that changed.

A document's facts are a pure function of its parse, the rules, and what its extraction
reads of two corpus-wide structures: the people registry (persons, surname and given-name
indexes, label votes, place and known words) and the known titles (``RoleIndex.holders``).
While a document is extracted, :func:`recording` logs every key it reads; the digest of the
values at those keys is kept with the document. After the corpus changes, a document whose
digest, recomputed on the new registry and titles, is unchanged would give exactly the same
facts, so an incremental index re-extracts only the documents whose digest moved.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from factlint.extract import RoleIndex
from factlint.people import PeopleRegistry
from factlint.titles import Title, TitleLexicon

# the registry's containers that extraction reads (everything else it reads is rules)
MAPS = ("persons", "_by_surname", "_by_prefix", "_given", "label_votes", "_fuzzy_cache")
SETS = ("place_words", "placey", "known_words", "_name_parts")
WHOLE = "*"  # the key logged when a container is iterated or sized
NONEMPTY = "?"  # the key logged when a container is tested for being empty


@dataclass
class ReadLog:
    people: set[tuple[str, Any]] = field(default_factory=set)  # (container, key)
    titles: set[str] = field(default_factory=set)  # titles asked of RoleIndex.holders

    def to_json(self) -> dict[str, Any]:
        return {"people": sorted([name, _jsonable(key)] for name, key in self.people),
                "titles": sorted(self.titles)}

    @staticmethod
    def from_json(d: dict[str, Any]) -> ReadLog:
        return ReadLog({(name, _key(key)) for name, key in d["people"]}, set(d["titles"]))


def _jsonable(key: Any) -> Any:
    return list(key) if isinstance(key, tuple) else key


def _key(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


class _LoggedMap:
    __slots__ = ("_d", "_name", "_log")

    def __init__(self, data: Any, name: str, log: set[tuple[str, Any]]) -> None:
        self._d, self._name, self._log = data, name, log

    def get(self, key: Any, default: Any = None) -> Any:
        self._log.add((self._name, key))
        return self._d.get(key, default)

    def __getitem__(self, key: Any) -> Any:
        self._log.add((self._name, key))
        return self._d[key]

    def __contains__(self, key: object) -> bool:
        self._log.add((self._name, key))
        return key in self._d

    def __setitem__(self, key: Any, value: Any) -> None:  # the fuzzy-match memo fills
        self._d[key] = value

    def _whole(self) -> Any:
        self._log.add((self._name, WHOLE))
        return self._d

    def __iter__(self) -> Iterator[Any]:
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())

    def __bool__(self) -> bool:
        self._log.add((self._name, NONEMPTY))
        return bool(self._d)

    def keys(self) -> Any:
        return self._whole().keys()

    def values(self) -> Any:
        return self._whole().values()

    def items(self) -> Any:
        return self._whole().items()


@contextmanager
def recording(people: PeopleRegistry, roles: RoleIndex | None, log: ReadLog) -> Iterator[None]:
    """While inside, every read of ``people``'s containers and of ``roles.holders`` is
    logged in ``log`` (the containers are swapped for logging views, then put back)."""
    saved = {name: getattr(people, name) for name in MAPS + SETS}
    for name in MAPS + SETS:  # (a set is read by membership only: `in` is logged the same)
        setattr(people, name, _LoggedMap(saved[name], name, log.people))
    if roles is not None:
        roles.reads = log.titles
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(people, name, value)
        if roles is not None:
            roles.reads = None


def _value(people: PeopleRegistry, name: str, key: Any) -> Any:
    """What extraction reads at ``(name, key)``, as comparable JSON."""
    data = getattr(people, name)
    if key == NONEMPTY:
        return bool(data)
    if key == WHOLE:
        return sorted(repr(x) for x in (data.items() if isinstance(data, dict) else data))
    if name in SETS:
        return key in data
    if name == "_fuzzy_cache":
        return people.fuzzy_ids(key)
    got = data.get(key)
    if got is None:
        return None
    if name == "persons":
        # extraction reads a person's display name and surname (``name``, ``surname``,
        # ``_bare_ok``), never the mention counts behind them: one more article naming a
        # person changes no other article's facts unless it changes how the name is written
        return [got.name, got.surname]
    if name == "label_votes":
        return list(got.items())  # in order: ties of most_common go to the first
    return repr(got)


class Digester:
    """Digests of read logs against one registry and one set of known titles, memoising the
    value at each key (many documents read the same keys)."""

    def __init__(self, people: PeopleRegistry, roles: RoleIndex | None,
                 lexicon: TitleLexicon | None = None) -> None:
        self.people, self.roles, self.lexicon = people, roles, lexicon
        self._people: dict[tuple[str, Any], str] = {}
        self._titles: dict[str, str] = {}

    def people_digest(self, keys: Iterable[tuple[str, Any]]) -> str:
        h = hashlib.sha1()
        for name, key in sorted(keys, key=repr):
            memo = self._people.get((name, key))
            if memo is None:
                value = _value(self.people, name, key)
                memo = self._people[(name, key)] = json.dumps([name, _jsonable(key), value],
                                                              default=repr)
            h.update(memo.encode() + b"\0")
        return h.hexdigest()

    def titles_digest(self, titles: Iterable[str]) -> str:
        assert self.roles is not None and self.lexicon is not None
        h = hashlib.sha1()
        for t in sorted(titles):
            memo = self._titles.get(t)
            if memo is None:
                found = self.roles.holders(Title.from_json(json.loads(t)), self.lexicon)
                memo = self._titles[t] = json.dumps([t, found])
            h.update(memo.encode() + b"\0")
        return h.hexdigest()
