"""``RoleIndex.holders`` tries only the persons with a title of a fitting office; it names
exactly the persons, in the same order, that trying every person of the corpus names."""

from __future__ import annotations

import random

from factlint.extract import AGREE, RoleIndex

PHRASES = [
    "President", "Prime Minister", "Foreign Minister", "Deputy Foreign Minister",
    "Ukraine's foreign minister", "the French President", "Chancellor", "chief executive",
    "Chief Financial Officer", "head coach", "Assistant Coach", "Health Secretary",
    "Chief Justice", "Governor", "Mayor", "Interior Minister", "Secretary of State",
    "King", "Queen", "chairman", "Finance Minister", "Defence Minister", "leader",
    "Russian President", "German Chancellor", "Vice President", "Senator", "Judge",
    "spokesperson", "captain", "minister", "director", "Director General", "the head",
]


def _every_person(roles: RoleIndex, title, lexicon) -> list[str]:
    """The lookup as it was: every person's every title tried."""
    out = []
    leader = lexicon.names_leader(title)
    for pid, titles in roles.titles.items():
        for k in titles:
            if leader:
                ok = (k.office in ("head-of-state", "head-of-government")
                      or (k.generic and lexicon.names_leader(k))) and bool(k.scope) \
                    and lexicon.scopes_compatible(title, k)
            elif title.generic:
                ok = False
            else:
                ok = (k.office == title.office and set(k.rank) == set(title.rank)
                      and lexicon.scopes_compatible(title, k)
                      and lexicon.relation(title, k) == AGREE)
            if ok:
                out.append(pid)
                break
    return out


def test_holders_equal_trying_every_person(engine) -> None:
    index = engine.load_corpus()
    lexicon = index.people.titles
    parsed = [t for p in PHRASES if (t := lexicon.parse(p.split())) is not None]
    known = [t for ts in index.roles.titles.values() for t in ts]
    pool = parsed + known
    assert len(parsed) > 20 and known
    rng = random.Random(3)
    roles = RoleIndex()
    asked = 0
    for n in range(400):
        roles.add(f"person {n % 150}", rng.choice(pool))
        if n % 40 == 39:  # asked between additions too: what add() changes is seen
            for title in pool:
                assert roles.holders(title, lexicon) == _every_person(roles, title, lexicon)
                asked += 1
    assert asked > 500
    assert any(roles.holders(t, lexicon) for t in pool)  # the lookups find holders
