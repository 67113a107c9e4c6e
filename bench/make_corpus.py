"""A synthetic corpus of news-like articles, deterministic by seed.

    .venv/bin/python bench/make_corpus.py N [--out DIR] [--seed S]

Writes N ``.txt`` articles (about 350-450 words each) to DIR (default ``bench/corpus-N``).
The prose is generated from word lists: people with titles ("Foreign Minister Anna Kovac",
later "Kovac said"), talks and statements in cities ("talks in Valmora", "told reporters in
Dunmere"), dated events ("annexed the Orsk region in 2014", "have not met since March 2019"),
counts ("killing seven people", "a 30-day ceasefire") and quotations. Every article draws its
own events, numbers and quotations, so the number of facts grows with N
(``factlint facts --corpus DIR``). The same N and seed always give byte-identical files.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

FIRST = ["Anna", "Marek", "Elena", "Tomas", "Irina", "Pavel", "Sofia", "Andrei", "Lena",
         "Viktor", "Nadia", "Oskar", "Helena", "Bogdan", "Clara", "Dmitri", "Eva", "Filip",
         "Greta", "Ivan", "Julia", "Karel", "Lucia", "Milan", "Nora", "Olek", "Petra", "Radek",
         "Sabina", "Teodor", "Ursula", "Vaclav", "Wanda", "Yuri", "Zora", "Emil"]
SURNAMES = ["Kovac", "Novak", "Horvath", "Petrenko", "Lindqvist", "Brandt", "Moreau",
            "Castellano", "Okafor", "Tanaka", "Haddad", "Ferreira", "Jansen", "Kowalczyk",
            "Dragomir", "Varga", "Sorensen", "Albescu", "Marchetti", "Obradovic", "Quintero",
            "Rasmussen", "Szabo", "Takacs", "Umarov", "Valdez", "Wojcik", "Yilmaz", "Zeller",
            "Bergstrom", "Caruso", "Delacroix", "Eriksen", "Fontaine", "Gallagher", "Halvorsen",
            "Ivanova", "Jovanovic", "Kaminski", "Lombardi", "Mendoza", "Nakamura", "Oliveira",
            "Pellegrini", "Rahimov", "Salvatore", "Thorsen", "Underwood", "Vasquez", "Whitfield"]
COUNTRIES = [("Ostravia", "Ostravian"), ("Belmark", "Belmarkian"), ("Karelia", "Karelian"),
             ("Drovnia", "Drovnian"), ("Sarmatia", "Sarmatian"), ("Valdonia", "Valdonian"),
             ("Lusatia", "Lusatian"), ("Morvania", "Morvanian"), ("Tavria", "Tavrian"),
             ("Pelagia", "Pelagian"), ("Corvinia", "Corvinian"), ("Ardenia", "Ardenian")]
OFFICES = ["Foreign Minister", "Defence Minister", "Prime Minister", "President",
           "Finance Minister", "Interior Minister", "Energy Minister", "Justice Minister"]
CITIES = ["Valmora", "Dunmere", "Brisk", "Kestrel", "Oranto", "Halden", "Veszto", "Lorient",
          "Tarvis", "Milvane", "Corbin", "Ashford", "Belgrove", "Carrow", "Dresca", "Esterby",
          "Fenwick", "Galloway", "Harwick", "Istrana", "Jarrow", "Kelso", "Lindau", "Marlow",
          "Norwick", "Ostend", "Penrith", "Quarry", "Rostov", "Selby", "Torvik", "Uxbridge",
          "Varna", "Wexford", "Yarrow", "Zelen", "Aldmere", "Bramley", "Coventa", "Dornoch"]
REGIONS = ["Orsk", "Tavel", "Brenna", "Kaspia", "Loden", "Merin", "Narva", "Pontic", "Sudova",
           "Veleta", "Zarin", "Hollin", "Gorsk", "Feran"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve", "fifteen", "twenty"]
TOPICS = ["energy prices", "grain exports", "border security", "the pipeline project",
          "sanctions relief", "the refugee corridor", "nuclear safety", "rail links",
          "fishing rights", "the customs union", "water sharing", "air defence"]
# words for quotations: subject / verb / object phrases, recombined per article
Q_SUBJ = ["We", "Our people", "This government", "Nobody here", "The whole region",
          "Every family", "Our negotiators", "The other side", "History", "Our partners"]
Q_VERB = ["will not accept", "cannot ignore", "must defend", "are ready to discuss",
          "will never forget", "have always wanted", "refuse to trade away", "will rebuild",
          "need to protect", "are tired of"]
Q_OBJ = ["a peace imposed by force", "the future of our children", "every inch of our land",
         "a fair and lasting settlement", "the promises made in this city", "honest talks",
         "the safety of our borders", "the truth about these attacks", "our right to decide",
         "a frozen conflict", "more empty declarations", "the lives of ordinary people"]
Q_TAIL = ["and the world knows it", "whatever the price", "not now and not ever",
          "as long as it takes", "and we said so clearly", "before the winter comes",
          "without any preconditions", "in front of everyone"]


class Cast:
    """The people of the synthetic world: each has one first name, surname, office, country."""

    def __init__(self, rng: random.Random) -> None:
        surnames = list(SURNAMES)
        rng.shuffle(surnames)
        self.people = []
        for i, surname in enumerate(surnames):
            country = COUNTRIES[i % len(COUNTRIES)]
            office = OFFICES[(i // len(COUNTRIES)) % len(OFFICES)]
            self.people.append((FIRST[(i * 7) % len(FIRST)], surname, office, country))


def _quote(rng: random.Random) -> str:
    return f"{rng.choice(Q_SUBJ)} {rng.choice(Q_VERB)} {rng.choice(Q_OBJ)}, {rng.choice(Q_TAIL)}"


def _count(rng: random.Random) -> str:
    return rng.choice(NUMBER_WORDS) if rng.random() < 0.6 else str(rng.randint(11, 90))


def article(rng: random.Random, cast: Cast, n: int) -> str:
    a, b = rng.sample(cast.people, 2)
    c = rng.choice([p for p in cast.people if p not in (a, b)])
    city, city2, city3 = rng.sample(CITIES, 3)
    region = rng.choice(REGIONS)
    year = rng.randint(1995, 2023)
    met_month, met_year = rng.choice(MONTHS), rng.randint(2015, 2023)
    day = rng.choice(DAYS)
    topic, topic2 = rng.sample(TOPICS, 2)
    killed, injured = _count(rng), _count(rng)
    truce = rng.choice([3, 5, 7, 10, 14, 30, 60, 90])
    prisoners = rng.randint(20, 400)
    accord = rng.choice(CITIES)
    accord_year = rng.randint(1990, 2022)

    def full(p: tuple[str, str, str, tuple[str, str]]) -> str:
        return f"{p[3][1]} {p[2]} {p[0]} {p[1]}"

    q1, q2, q3 = _quote(rng), _quote(rng), _quote(rng)
    she = {0: "she", 1: "he"}
    pa, pb = she[rng.randint(0, 1)], she[rng.randint(0, 1)]
    headline = f"{a[1]} and {b[1]} meet in {city} as pressure grows over {topic}"
    paras = [
        headline,
        f"{full(a)} met {full(b)} for talks in {city} on {day}, the first meeting between "
        f"the two since the crisis over {topic} began. Officials said the talks lasted "
        f"{rng.choice(NUMBER_WORDS)} hours.",
        f"\u201c{q1},\u201d {a[1]} said after the meeting. {b[1]} told reporters in {city2} "
        f"that the sides remained far apart on {topic2}.",
        f"The two leaders have not met since {met_month} {met_year}, when a summit in "
        f"{city3} collapsed without a joint statement.",
        f"{a[3][0]} annexed the {region} region in {year}, a move most governments still do "
        f"not recognise. {b[1]} said the question of {region} was not on the agenda.",
        f"On {day} night a missile strike on {city2} killed {killed} people and injured "
        f"{injured}, according to regional officials. {a[3][0]} denied any involvement.",
        f"\u201c{q2},\u201d {pb} said. \u201c{q3}.\u201d",
        f"The sides agreed to a {truce}-day ceasefire along the {region} front line, and "
        f"{c[3][0]} offered to host a prisoner exchange. Earlier this year {a[3][0]} and "
        f"{b[3][0]} exchanged {prisoners} prisoners in {rng.choice(MONTHS)}.",
        f"{full(c)} said in {city3} that the {accord} Accord, signed in {accord_year}, "
        f"remained the basis for any settlement.",
        f"Analysts said the outcome of the talks in {city} would shape {topic} for months. "
        f"\u201cIt is too early to speak of a breakthrough,\u201d {c[1]} said, adding that "
        f"{pa} expected another round before the end of {rng.choice(MONTHS)}.",
    ]
    rng.shuffle(paras[5:9])
    return "\n".join(paras) + "\n"


SYLLABLES = ["ka", "lo", "mer", "vin", "dra", "sol", "ten", "bri", "gor", "al", "ves", "nor",
             "tu", "ran", "pel", "shi", "dov", "ma", "rek", "zan", "fil", "ost", "em", "cor",
             "lin", "wa", "ber", "to", "sk", "ha", "quin", "mo", "ret", "ul", "ny", "gar"]
NOUNS = ["grain", "power", "border", "ports", "pensions", "railways", "fisheries", "water",
         "mines", "schools", "hospitals", "bridges", "wages", "fuel", "tariffs", "forests"]


class ZipfWorld:
    """A world that grows with the corpus, as a newsroom's does: article ``i`` can name the
    first ``20 + i / 2`` people, ``30 + i / 4`` places, ``8 + i / 25`` regions, ``6 + i / 200``
    countries (new ones keep arriving), each drawn with Zipf weights by rank (a few are in
    the news all the time, most only now and then); quotations are new sentences about a
    growing vocabulary of subjects. Deterministic by seed; a bigger N extends a smaller one."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def _word(self, kind: str, k: int) -> str:
        """The ``k``-th name of a kind: a function of seed, kind and rank alone (so drafts
        made later name the corpus's people)."""
        r = random.Random(f"{self.seed}/{kind}/{k}")
        w = ""
        while len(w) < 5:
            w = "".join(r.choice(SYLLABLES) for _ in range(r.randint(2, 3)))
        return w.capitalize()

    @staticmethod
    def _rank(rng: random.Random, pool: int) -> int:
        """A rank in ``range(pool)`` with Zipf weights (s = 1.1)."""
        u = rng.random()
        k = int(pool ** u ** 1.1) - 1  # log-uniform: the head often, the tail rarely
        return min(max(k, 0), pool - 1)

    def person(self, rng: random.Random, i: int) -> tuple[str, str, str, tuple[str, str]]:
        k = self._rank(rng, 20 + i // 2)
        country = self.country(rng, i, k % (6 + k // 400))  # one nationality per person
        return (FIRST[(k * 7) % len(FIRST)], self._word("surname", k),
                OFFICES[k % len(OFFICES)], country)

    def country(self, rng: random.Random, i: int, k: int | None = None) -> tuple[str, str]:
        c = k if k is not None else self._rank(rng, 6 + i // 200)
        name = self._word("country", c) + "ia"
        return name, name + "n"

    def city(self, rng: random.Random, i: int) -> str:
        return self._word("city", self._rank(rng, 30 + i // 4))

    def region(self, rng: random.Random, i: int) -> str:
        return self._word("region", self._rank(rng, 8 + i // 25))

    def quote(self, rng: random.Random, i: int) -> str:
        """A new sentence: a stock opening, then words of a vocabulary that grows with the
        corpus (a few stock phrases recombined would make every quotation of a big corpus a
        near match of every other, which no archive's quotations are)."""
        topic = self._word("topic", self._rank(rng, 50 + i))
        said = [self._word("said", rng.randrange(500 + 5 * i)).lower() for _ in range(4)]
        return (f"{rng.choice(Q_SUBJ)} {rng.choice(Q_VERB)} the {topic} {rng.choice(NOUNS)} "
                f"{said[0]}, {said[1]} {said[2]} and {said[3]}")


def zipf_article(rng: random.Random, world: ZipfWorld, i: int) -> str:
    a = world.person(rng, i)
    b = world.person(rng, i)
    while b[1] == a[1]:
        b = world.person(rng, i)
    c = world.person(rng, i)
    city, city2, city3 = world.city(rng, i), world.city(rng, i), world.city(rng, i)
    region = world.region(rng, i)
    day, topic = rng.choice(DAYS), rng.choice(TOPICS)
    year, met_month, met_year = rng.randint(1995, 2023), rng.choice(MONTHS), rng.randint(2015,
                                                                                         2023)

    def full(p: tuple[str, str, str, tuple[str, str]]) -> str:
        return f"{p[3][1]} {p[2]} {p[0]} {p[1]}"

    paras = [
        f"{a[1]} and {b[1]} meet in {city} as pressure grows over {topic}",
        f"{full(a)} met {full(b)} for talks in {city} on {day}, the first meeting between "
        f"the two since the crisis over {topic} began.",
        f"\u201c{world.quote(rng, i)},\u201d {a[1]} said after the meeting. {b[1]} told "
        f"reporters in {city2} that the sides remained far apart.",
        f"The two leaders have not met since {met_month} {met_year}, when a summit in "
        f"{city3} collapsed without a joint statement.",
        f"{a[3][0]} annexed the {region} region in {year}, a move most governments still do "
        f"not recognise.",
        f"On {day} night a missile strike on {city2} killed {_count(rng)} people and injured "
        f"{_count(rng)}, according to regional officials.",
        f"The sides agreed to a {rng.choice([3, 5, 7, 10, 14, 30, 60, 90])}-day ceasefire "
        f"along the {region} front line, and {c[3][0]} offered to host a prisoner exchange.",
        f"{full(c)} said in {city3} that the {world.city(rng, i)} Accord, signed in "
        f"{rng.randint(1990, 2022)}, remained the basis for any settlement.",
        f"\u201c{world.quote(rng, i)},\u201d {c[1]} said.",
    ]
    return "\n".join(paras) + "\n"


def make_corpus(n: int, out: Path, seed: int = 0, world: str = "small") -> list[Path]:
    rng = random.Random(seed)
    cast = Cast(random.Random(seed * 7919 + 1))
    zipf = ZipfWorld(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        p = out / f"{i:05d}.txt"
        text = zipf_article(rng, zipf, i) if world == "zipf" else article(rng, cast, i)
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


def make_zipf_drafts(n: int, words: int, corpus_n: int, seed: int = 1,
                     corpus_seed: int = 0) -> list[str]:
    """Drafts about the people, places and events of a ``zipf`` corpus of ``corpus_n``
    articles (the same world, new sentences: their claims meet corpus facts)."""
    world = ZipfWorld(corpus_seed)
    rng = random.Random(seed * 104729 + 17)
    drafts = []
    for _ in range(n):
        paras: list[str] = []
        while sum(len(p.split()) for p in paras) < words:
            paras.extend(zipf_article(rng, world, corpus_n - 1).splitlines()[1:])
        drafts.append("# Draft\n\n" + "\n\n".join(paras) + "\n")
    return drafts


def make_drafts(n: int, words: int, seed: int = 1, corpus_seed: int = 0) -> list[str]:
    """``n`` Markdown drafts of about ``words`` words each, about the people, places and
    events of the corpus made with ``corpus_seed`` (so their claims meet corpus facts)."""
    rng = random.Random(seed * 104729 + 17)
    cast = Cast(random.Random(corpus_seed * 7919 + 1))
    drafts = []
    for _ in range(n):
        paras: list[str] = []
        while sum(len(p.split()) for p in paras) < words:
            paras.extend(article(rng, cast, 0).splitlines()[1:])
        out, count = [], 0
        for p in paras:
            if count >= words:
                break
            out.append(p)
            count += len(p.split())
        drafts.append("# Draft\n\n" + "\n\n".join(out) + "\n")
    return drafts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("--out", type=Path, default=None, help="folder (default bench/corpus-N)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--world", choices=["small", "zipf"], default="small",
                        help="small: 50 people, 40 cities (the default); zipf: people, places "
                             "and subjects that grow with N, drawn with Zipf weights")
    args = parser.parse_args(argv)
    out = args.out or Path(__file__).resolve().parent / f"corpus-{args.n}"
    paths = make_corpus(args.n, out, args.seed, args.world)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
    print(f"{len(paths)} articles, {words} words in {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
