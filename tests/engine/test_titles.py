"""Titles as an open grammar: parsing title phrases across beats, comparing two titles of one
person, reading them from articles, and the rules keys that drive both.

Unit tests use the bundled rules (``TitleLexicon``); the end-to-end tests build a small
corpus of three invented articles (business, sport, health) and check drafts against it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_engine import engine_over_files
from factlint.config import EngineConfig
from factlint.engine import Engine
from factlint.errors import FactlintError
from factlint.rules import load_rules
from factlint.titles import AGREE, CONTRADICT, OTHER, UNKNOWN, Title, TitleLexicon


@pytest.fixture(scope="module")
def lex() -> TitleLexicon:
    return TitleLexicon(load_rules([]))


def _t(lexicon: TitleLexicon, phrase: str) -> Title:
    title = lexicon.parse(phrase.split())
    assert title is not None, phrase
    return title


def _rel(lexicon: TitleLexicon, a: str, b: str) -> str:
    ta, tb = _t(lexicon, a), _t(lexicon, b)
    r = lexicon.relation(ta, tb)
    assert lexicon.relation(tb, ta) == r, "the comparison is symmetric"
    return r


# ------------------------------------------------------------------------------ parsing
@pytest.mark.parametrize(("phrase", "office", "scope", "specs", "area"), [
    ("Boeing CEO", "chief-executive", ("boeing",), (), ()),
    ("chief executive of Air India", "chief-executive", ("air", "india"), (), ()),
    ("chief executive officer", "chief-executive", (), (), ()),
    ("Gujarat Chief Minister", "chief-minister", ("gujarat",), (), ()),
    ("Minister of State for Civil Aviation", "minister-of-state", (), ("civil aviation",), ()),
    ("WHO regional director for Africa", "director", ("who",), ("regional",), ("africa",)),
    ("WHO Director-General", "director-general", ("who",), (), ()),
    ("Arsenal head coach", "head-coach", ("arsenal",), ("head",), ()),
    ("police commissioner", "commissioner", (), ("police",), ()),
    ("Speaker of the National Assembly", "speaker", ("national", "assembly"), (), ()),
    ("lead equity analyst at Hargreaves Lansdown", "analyst", ("hargreaves", "lansdown"),
     ("lead",), ()),
    ("video assistant referee", "video-assistant-referee", (), (), ()),
    ("Palace midfielder", "midfielder", ("palace",), (), ()),
    ("sporting director", "sporting-director", (), (), ()),
    ("incident commander at the health ministry", "general", (), ("incident",), ()),
    ("Uganda's incident commander", "general", ("uganda",), ("incident",), ()),
    ("Uganda's health minister", "minister", ("uganda",), ("health",), ()),
    ("head of the Mweka health zone", "head", (), ("health",), ("mweka",)),
    ("chief medical officer", "officer", (), ("chief", "medical"), ()),
    ("centre-back", "centre-back", (), (), ()),
    ("spokeswomen", "spokesperson", (), (), ()),
])
def test_parse_title_phrases(lex: TitleLexicon, phrase: str, office: str, scope: tuple,
                             specs: tuple, area: tuple) -> None:
    t = _t(lex, phrase)
    assert (t.office, t.scope, t.area) == (office, scope, area)
    assert set(specs) <= set(t.specs)  # an office may imply more ("head coach": head)
    assert t.surface == phrase


def test_parse_ranks_and_generic(lex: TitleLexicon) -> None:
    assert _t(lex, "Russia's Deputy Foreign Minister").rank == ("deputy",)
    assert _t(lex, "Vice-President").rank == ("vice",)
    assert _t(lex, "president-elect").rank == ("elect",)
    assert _t(lex, "former Boeing CEO").rank == ("former",)
    assert _t(lex, "newly elected Pope").rank == ()
    assert _t(lex, "official").generic and _t(lex, "health official").generic
    assert _t(lex, "director").generic and not _t(lex, "regional director").generic
    assert _t(lex, "Ukrainian leader").generic and not _t(lex, "opposition leader").generic
    assert lex.parse("the company".split()) is None


def test_read_keeps_only_the_title(lex: TitleLexicon) -> None:
    # before a name, the title is the part that ends at the name
    words = "The government of Prime Minister".split()
    [(title, i, j)] = lex.read(words, "before")
    assert title.office == "head-of-government" and words[i:j] == ["Prime", "Minister"]
    assert lex.read("head of".split(), "before") == []  # "head of [Zelensky]'s office"
    # an appositive starts with the title: "X, the son of President Y" gives X none
    assert lex.read("son of President".split(), "after") == []
    # one phrase, two titles sharing the complement
    both = lex.parse_all("president and chief executive of Boeing".split())
    assert [(t.office, t.scope) for t in both] == [("head-of-state", ("boeing",)),
                                                    ("chief-executive", ("boeing",))]
    # "and" inside one title
    t = _t(lex, "Health and Social Care Secretary")
    assert t.office == "minister" and set(t.specs) == {"health", "social care"}
    [(t, i, j)] = lex.read("Tuesday and Prime Minister".split(), "before")
    assert t.scope == () and i == 2


def test_head_words(lex: TitleLexicon) -> None:
    for word in ("Goalkeeper", "Director-General", "Vice-President", "CEO", "Referee"):
        assert lex.is_head_word(word), word
    for word in ("Mason", "Baker", "Bishop", "Dean", "Oliver"):
        assert not lex.is_head_word(word), word  # surnames and first names, not titles


# ------------------------------------------------------------------------------ comparison
AGREE_PAIRS = [
    # a modifier inside a longer one: "public health" holds "health"
    ("minister of public health", "health minister"),
    ("public health minister", "minister of health"),
    # business
    ("chief executive", "chief executive of the CMA"),
    ("CEO", "chief executive officer"),
    ("Boeing CEO", "chief executive of Boeing"),
    ("CFO", "Boeing's chief financial officer"),
    ("chairman", "chairwoman"),
    ("chair", "chairperson"),
    ("managing director", "chief executive"),
    ("analyst", "lead equity analyst at Hargreaves Lansdown"),
    ("senior analyst", "analyst"),
    # politics
    ("minister", "health minister"),
    ("Health Minister", "Uganda's minister of health"),
    ("Foreign Minister", "minister of foreign affairs"),
    ("Foreign Minister", "Foreign Affairs Minister"),
    ("minister", "Foreign Minister"),
    ("Gujarat Chief Minister", "chief minister of Gujarat"),
    ("junior minister", "Minister of State for Civil Aviation"),
    ("Speaker", "Speaker of the National Assembly"),
    ("opposition leader", "Labour leader"),
    ("Health and Social Care Secretary", "Health Secretary"),
    # health, emergencies
    ("incident commander at the health ministry", "incident commander"),
    ("Uganda's incident commander", "incident commander at the health ministry"),
    ("WHO Director-General", "director general of the WHO"),
    ("regional director for Africa", "WHO regional director"),
    ("head of the Mweka health zone", "Mweka health zone head"),
    ("official", "health minister"),
    ("chief medical officer", "medical officer"),
    # sport
    ("Palace midfielder", "midfielder"),
    ("head coach", "Arsenal head coach"),
    ("head coach", "coach"),
    ("head coach", "manager"),
    ("goalkeeper", "keeper"),
    ("defender", "centre-back"),
    ("forward", "striker"),
    ("referee", "Premier League referee"),
    ("sporting director", "director of football"),
    ("Club chairman", "Harbourside chairman"),
    # courts, police
    ("police commissioner", "commissioner"),
    ("Crown prosecutor", "prosecution barrister"),
    ("barrister", "defence barrister"),
    ("Chief Justice", "Justice"),
]

CONTRADICT_PAIRS = [
    # business
    ("Boeing President", "Boeing CEO"),
    ("chief executive", "chief operating officer"),
    ("CEO", "CFO"),
    ("chief financial officer", "lead equity analyst"),
    ("chairman", "sporting director"),
    ("regional director", "medical director"),
    # politics
    ("health minister", "justice minister"),
    ("Health Minister", "Foreign Minister"),
    ("Deputy Foreign Minister", "Foreign Minister"),
    ("Vice President", "President"),
    ("shadow health secretary", "health secretary"),
    ("Gujarat Chief Minister", "Gujarat minister"),
    ("Minister of State for Health", "Minister of State for Transport"),
    ("opposition leader", "Downing Street spokesman"),
    ("governor of the Kharkiv region", "governor of the Sumy region"),
    # health, emergencies
    ("health minister", "incident commander"),
    ("regional director for Africa", "Director-General"),
    ("head of the Mweka health zone", "head of the Boulapé health zone"),
    # sport
    ("referee", "video assistant referee"),
    ("referee", "assistant referee"),
    ("defender", "midfielder"),
    ("striker", "goalkeeper"),
    ("left-back", "right-back"),
    ("head coach", "assistant coach"),
    ("goalkeeping coach", "manager"),
    # courts
    ("prosecutor", "defence barrister"),
    ("judge", "prosecutor"),
]

SILENT_PAIRS = [  # neither the same post nor a contradiction
    ("Palace captain", "Palace defender", OTHER),  # two sides of one person
    ("founder", "chief executive", OTHER),
    ("Labour MP", "Health Secretary", OTHER),
    ("epidemiologist", "incident commander", OTHER),
    ("former president", "chief executive", UNKNOWN),  # a moment in time
    ("acting chief executive", "chief executive", UNKNOWN),
    ("Gujarat Chief Minister", "Maharashtra Chief Minister", UNKNOWN),  # another scope
    ("regional director for Africa", "regional director for Europe", UNKNOWN),
]


def test_enough_pairs() -> None:
    assert len(AGREE_PAIRS) >= 20 and len(CONTRADICT_PAIRS) >= 20
    assert len(AGREE_PAIRS) + len(CONTRADICT_PAIRS) + len(SILENT_PAIRS) >= 40


@pytest.mark.parametrize(("a", "b"), AGREE_PAIRS, ids=[f"{a} ~ {b}" for a, b in AGREE_PAIRS])
def test_titles_agree(lex: TitleLexicon, a: str, b: str) -> None:
    assert _rel(lex, a, b) == AGREE
    assert lex.compatible(_t(lex, a), _t(lex, b))
    assert lex.offices_compatible(_t(lex, a), _t(lex, b))


@pytest.mark.parametrize(("a", "b"), CONTRADICT_PAIRS,
                         ids=[f"{a} / {b}" for a, b in CONTRADICT_PAIRS])
def test_titles_contradict(lex: TitleLexicon, a: str, b: str) -> None:
    assert _rel(lex, a, b) == CONTRADICT
    assert not lex.compatible(_t(lex, a), _t(lex, b))


@pytest.mark.parametrize(("a", "b", "rel"), SILENT_PAIRS,
                         ids=[f"{a} ? {b}" for a, b, _ in SILENT_PAIRS])
def test_titles_neither(lex: TitleLexicon, a: str, b: str, rel: str) -> None:
    assert _rel(lex, a, b) == rel


def test_same_post(lex: TitleLexicon) -> None:
    def same(a: str, b: str, **kw: bool) -> bool:
        return lex.same_office(_t(lex, a), _t(lex, b), **kw)

    assert same("Boeing CEO", "chief executive of Boeing")
    assert same("Uganda's health minister", "Ugandan Health Minister")
    assert not same("Palace midfielder", "Palace midfielder")  # many holders
    assert not same("Ugandan minister", "Ugandan minister")
    assert not same("Russia's deputy foreign minister", "Russian Deputy Foreign Minister")
    assert not same("Boeing CEO", "Airbus CEO")
    assert not same("Minister of State for Health", "Minister of State for Health")
    assert same("Minister of State for Health", "Minister of State for Health", unscoped=True)
    assert not same("President", "President", unscoped=True)


def test_title_json_round_trip(lex: TitleLexicon) -> None:
    t = _t(lex, "head of the Mweka health zone")
    assert Title.from_json(t.to_json()) == t
    old = {"office": "chair", "scope": ["nato"], "rank": [], "surface": "NATO chair",
           "generic": False}  # a fact stored before specs and areas
    assert Title.from_json(old).specs == ()


# ------------------------------------------------------------------------------ end to end
BUSINESS = """# Boeing shares fall after Air India crash

Boeing CEO Kelly Ortberg said the company would support the investigation into the crash.

Campbell Wilson, chief executive of Air India, said the airline was cooperating fully.

Susannah Streeter, lead equity analyst at Hargreaves Lansdown, said shares in Boeing fell 5%.

Brian West, Boeing's chief financial officer, told investors that deliveries would continue.

The government of Prime Minister Keir Starmer said British families would be supported.
"""

SPORT = """# Palace beat Arsenal at Selhurst Park

Crystal Palace beat Arsenal 2-1 on Saturday. Palace midfielder Adam Wharton scored the winner.

Arsenal head coach Mikel Arteta said his side had been poor. Referee Michael Oliver sent off
Arsenal defender William Saliba in the second half.

Palace chairman Steve Parish praised the supporters.
"""

HEALTH = """# Ebola outbreak in Kasai

Dr Jean Kaseya, the head of the Mweka health zone, said 15 people had died.

WHO Director-General Tedros Adhanom Ghebreyesus said the organisation was sending experts.

Uganda's incident commander Charles Olaro said the country was on alert. Diana Atwine,
Uganda's health minister, confirmed that no cases had been found.

Henry Kyobe Bosa, the incident commander at the health ministry, said screening had been
stepped up.

Ruth Aceng, who was Uganda's health minister until 2024, welcomed the response.
"""


def _corpus(tmp: Path) -> Path:
    corpus = tmp / "corpus"
    corpus.mkdir()
    (corpus / "business.md").write_text(BUSINESS, encoding="utf-8")
    (corpus / "sport.md").write_text(SPORT, encoding="utf-8")
    (corpus / "health.md").write_text(HEALTH, encoding="utf-8")
    return corpus


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _corpus(tmp_path_factory.mktemp("titles"))


@pytest.fixture(scope="module")
def engine(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    e = Engine(EngineConfig(corpus=[corpus_dir], cache_dir=tmp_path_factory.mktemp("cache")))
    e.load_corpus()
    return e


def _check(e: Engine, draft: str) -> tuple[list, set[str]]:
    support: list = []
    diags = e.check_text(draft + "\n", "d.md", support=support)
    return diags, {c.kind for c, facts in support if facts}


def test_corpus_titles_are_read_with_their_complements(engine: Engine) -> None:
    people = engine.load_corpus().people
    titles = {(people.name(f.key["person"]), f.value["title"])
              for f in engine.facts() if f.kind == "role"}
    for expected in [("Kelly Ortberg", "Boeing CEO"),
                     ("Campbell Wilson", "chief executive of Air India"),
                     ("Susannah Streeter", "lead equity analyst at Hargreaves Lansdown"),
                     ("Brian West", "Boeing's chief financial officer"),
                     ("Keir Starmer", "Prime Minister"),
                     ("Adam Wharton", "Palace midfielder"),
                     ("William Saliba", "Arsenal defender"),
                     ("Jean Kaseya", "head of the Mweka health zone"),
                     ("Tedros Adhanom Ghebreyesus", "WHO Director-General"),
                     ("Charles Olaro", "Uganda's incident commander"),
                     ("Diana Atwine", "Uganda's health minister"),
                     ("Henry Kyobe Bosa", "incident commander at the health ministry")]:
        assert expected in titles, expected
    assert not any("government" in t for _, t in titles), titles  # no garbled titles
    aceng = [Title.from_json(f.value["parsed"]) for f in engine.facts()
             if f.kind == "role" and people.name(f.key["person"]) == "Ruth Aceng"]
    assert [(t.office, t.rank) for t in aceng] == [("minister", ("former",))]  # "who was"


WRONG = [  # (draft, the corpus title offered as the fix)
    ("Boeing President Kelly Ortberg said the company would help.", "Boeing CEO"),
    ("Air India chairman Campbell Wilson said the airline was cooperating.",
     "chief executive of Air India"),
    ("Susannah Streeter, chief financial officer at Hargreaves Lansdown, said shares fell.",
     "lead equity analyst at Hargreaves Lansdown"),
    ("Boeing CEO Brian West said deliveries would continue.",
     "Boeing's chief financial officer"),
    ("Palace defender Adam Wharton scored the winner.", "Palace midfielder"),
    ("Arsenal midfielder William Saliba was sent off.", "Arsenal defender"),
    ("Video assistant referee Michael Oliver sent off Saliba.", "Referee"),
    ("Arsenal assistant coach Mikel Arteta said his side had been poor.", "Arsenal head coach"),
    ("Palace sporting director Steve Parish praised the supporters.", "Palace chairman"),
    ("Dr Jean Kaseya, the head of the Boulapé health zone, said 15 people had died.",
     "head of the Mweka health zone"),
    ("Tedros Adhanom Ghebreyesus, the WHO regional director for Africa, said experts were "
     "coming.", "WHO Director-General"),
    ("Uganda's health minister Charles Olaro said the country was on alert.",
     "Uganda's incident commander"),
    ("Diana Atwine, Uganda's incident commander, said no cases had been found.",
     "Uganda's health minister"),
]

VARIANTS = [
    "Boeing chief executive Kelly Ortberg said the company would help.",
    "Kelly Ortberg, Boeing's chief executive officer, said the company would help.",
    "Ortberg, president and chief executive of Boeing, said the company would help.",
    "Air India CEO Campbell Wilson said the airline was cooperating.",
    "Analyst Susannah Streeter said shares fell.",
    "Boeing CFO Brian West said deliveries would continue.",
    "Prime Minister Keir Starmer promised support.",
    "Midfielder Adam Wharton scored the winner.",
    "Adam Wharton, the Palace midfielder, scored the winner.",
    "Centre-back William Saliba was sent off.",
    "Arsenal manager Mikel Arteta said his side had been poor.",
    "Premier League referee Michael Oliver sent off Saliba.",
    "Palace chair Steve Parish praised the supporters.",
    "Dr Jean Kaseya, head of the Mweka health zone, said 15 people had died.",
    "Tedros Adhanom Ghebreyesus, director general of the WHO, said experts were coming.",
    "Charles Olaro, the incident commander, said the country was on alert.",
    "Health Minister Diana Atwine said no cases had been found.",
    "Henry Kyobe Bosa, Uganda's incident commander, said screening had been stepped up.",
    "Former health minister Ruth Aceng welcomed the response.",
]

SILENT = [  # nothing in the corpus says otherwise
    "Palace captain Adam Wharton scored the winner.",  # a captain is also a midfielder
    "Ugandan official Diana Atwine said no cases had been found.",  # too vague
    "Former Boeing CEO Kelly Ortberg said the company would help.",  # a moment in time
]


@pytest.mark.parametrize(("draft", "fix"), WRONG, ids=[d[:40] for d, _ in WRONG])
def test_wrong_title_fires_with_the_corpus_title(engine: Engine, draft: str, fix: str) -> None:
    diags, _ = _check(engine, draft)
    roles = [d for d in diags if d.code == "role"]
    assert roles, draft
    assert roles[0].evidence
    assert roles[0].fix is not None and roles[0].fix.new_text == fix


@pytest.mark.parametrize("draft", VARIANTS, ids=[d[:40] for d in VARIANTS])
def test_title_variant_is_compared_and_silent(engine: Engine, draft: str) -> None:
    diags, compared = _check(engine, draft)
    assert [(d.code, d.message) for d in diags if d.code == "role"] == []
    assert "role" in compared


def test_another_holders_post_fires_without_a_stale_fix(engine: Engine) -> None:
    # the corpus: Atwine is Uganda's health minister, Aceng "was Uganda's health minister"
    diags, _ = _check(engine, "Health Minister Ruth Aceng welcomed the response.")
    [d] = [d for d in diags if d.code == "role"]
    assert "Diana Atwine's title" in d.message and d.fix is None


@pytest.mark.parametrize("draft", SILENT, ids=[d[:40] for d in SILENT])
def test_unrelated_title_is_silent(engine: Engine, draft: str) -> None:
    diags, _ = _check(engine, draft)
    assert [d.message for d in diags if d.code == "role"] == []


# ------------------------------------------------------------------------------ rules keys
def _rules(tmp: Path, text: str) -> Path:
    folder = tmp / "rules"
    folder.mkdir()
    (folder / "titles.yml").write_text("titles:\n" + text, encoding="utf-8")
    return folder


def _user_lex(tmp: Path, text: str) -> TitleLexicon:
    return TitleLexicon(load_rules([_rules(tmp, text)]))


def test_rules_modifiers_end_to_end(corpus_dir: Path, tmp_path: Path, engine: Engine) -> None:
    draft = "Credit analyst Susannah Streeter said shares fell."
    diags, compared = _check(engine, draft)
    assert not [d for d in diags if d.code == "role"] and "role" in compared
    rules = _rules(tmp_path, "  modifiers: [equity, credit]\n")
    strict = Engine(EngineConfig(corpus=[corpus_dir], cache_dir=tmp_path / "c", rules=[rules]))
    strict.load_corpus()
    diags, _ = _check(strict, draft)
    assert [d.fix.new_text for d in diags if d.code == "role" and d.fix] == [
        "lead equity analyst at Hargreaves Lansdown"]


def test_rules_professions_end_to_end(corpus_dir: Path, tmp_path: Path, engine: Engine) -> None:
    draft = "Susannah Streeter, chief financial officer at Hargreaves Lansdown, said shares fell."
    assert [d for d in _check(engine, draft)[0] if d.code == "role"]
    rules = _rules(tmp_path, "  professions: [analyst]\n")
    lenient = Engine(EngineConfig(corpus=[corpus_dir], cache_dir=tmp_path / "c", rules=[rules]))
    lenient.load_corpus()
    assert not [d for d in _check(lenient, draft)[0] if d.code == "role"]


def test_rules_offices_synonym(lex: TitleLexicon, tmp_path: Path) -> None:
    assert lex.parse(["gaffer"]) is None
    user = _user_lex(tmp_path, "  offices:\n    manager: [gaffer]\n")
    assert _rel(user, "Palace gaffer", "manager") == AGREE


def test_rules_heads(lex: TitleLexicon, tmp_path: Path) -> None:
    assert lex.parse("head sommelier".split()).office == "head"  # only "head" is known
    user = _user_lex(tmp_path, "  heads: [sommelier]\n")
    t = _t(user, "head sommelier")
    assert (t.office, t.specs) == ("sommelier", ("head",))


def test_rules_vague(lex: TitleLexicon, tmp_path: Path) -> None:
    assert _rel(lex, "analyst", "chief financial officer") == CONTRADICT
    user = _user_lex(tmp_path, "  vague: [analyst]\n")
    assert _rel(user, "analyst", "chief financial officer") == AGREE  # too vague to say
    assert _rel(user, "lead analyst", "chief financial officer") == CONTRADICT


def test_rules_generic(lex: TitleLexicon, tmp_path: Path) -> None:
    assert _rel(lex, "analyst", "chief financial officer") == CONTRADICT
    user = _user_lex(tmp_path, "  generic: [analyst]\n")
    assert _rel(user, "lead analyst", "chief financial officer") == AGREE


def test_rules_implies(lex: TitleLexicon, tmp_path: Path) -> None:
    assert _rel(lex, "ambassador", "trade envoy") == AGREE
    user = _user_lex(tmp_path, "  modifiers: [diplomatic]\n"
                               "  implies: {ambassador: [diplomatic]}\n")
    assert _rel(user, "ambassador", "trade envoy") == CONTRADICT


def test_rules_compatible_groups(lex: TitleLexicon, tmp_path: Path) -> None:
    assert _rel(lex, "referee", "umpire") == CONTRADICT
    user = _user_lex(tmp_path, "  compatible:\n    - [referee, umpire, video-assistant-referee]\n")
    assert _rel(user, "referee", "umpire") == AGREE
    assert _rel(user, "umpire", "video assistant referee") == AGREE


def test_rules_facets(lex: TitleLexicon, tmp_path: Path) -> None:
    assert _rel(lex, "presenter", "chief executive") == CONTRADICT
    user = _user_lex(tmp_path, "  facets:\n    media: [presenter]\n")
    assert _rel(user, "presenter", "chief executive") == OTHER


def test_rules_shared(lex: TitleLexicon, tmp_path: Path) -> None:
    a, b = "Palace captain", "Palace captain"
    assert lex.same_office(_t(lex, a), _t(lex, b))
    user = _user_lex(tmp_path, "  shared: [captain]\n")
    assert not user.same_office(_t(user, a), _t(user, b))


def test_rules_area_units(lex: TitleLexicon, tmp_path: Path) -> None:
    a, b = "director of the Mweka hospital", "director of the Kasai hospital"
    assert _rel(lex, a, b) == UNKNOWN  # two scopes, maybe two names of one place
    user = _user_lex(tmp_path, "  area_units: [hospital]\n")
    assert _rel(user, a, b) == CONTRADICT


def test_rules_firm_ranks(lex: TitleLexicon, tmp_path: Path) -> None:
    assert _rel(lex, "interim chief executive", "chief executive") == UNKNOWN
    user = _user_lex(tmp_path, "  firm_ranks: [interim]\n")
    assert _rel(user, "interim chief executive", "chief executive") == CONTRADICT


def test_rules_shapes_are_checked(tmp_path: Path) -> None:
    folder = _rules(tmp_path, "  implies: {ambassador: diplomatic}\n")
    with pytest.raises(FactlintError) as info:
        load_rules([folder])
    assert "titles.implies.ambassador must be a list" in info.value.reason


def test_generic_head_after_an_office_is_that_office(lex: TitleLexicon) -> None:
    var = _t(lex, "VAR officials")
    assert var.office == "video-assistant-referee" and not var.generic
    assert lex.relation(var, _t(lex, "referee")) == CONTRADICT
    assert lex.relation(var, _t(lex, "video assistant referee")) == AGREE
    assert _t(lex, "police official").generic  # a modifier, not an office


def test_incoming_is_a_moment_not_the_post(lex: TitleLexicon) -> None:
    incoming = _t(lex, "NATO's incoming chair")
    assert incoming.rank == ("incoming",)
    assert lex.relation(_t(lex, "NATO chair"), incoming) == UNKNOWN


def test_title_of_another_moment_does_not_excuse_a_wrong_one(tmp_path: Path) -> None:
    e = engine_over_files(tmp_path, {"bank.md": (
        "# Brandt to lead the central bank\n\n"
        "Finance Minister Lena Brandt, the central bank's incoming governor, spoke in Oslo.\n")})
    # now she is finance minister; "incoming governor" says what she will be, not what she is
    diags, _ = _check(e, "Foreign Minister Lena Brandt spoke in Oslo.")
    [d] = [d for d in diags if d.code == "role"]
    assert d.fix is not None and d.fix.new_text == "Finance Minister"
    diags, compared = _check(e, "Finance Minister Lena Brandt spoke in Oslo.")
    assert [d for d in diags if d.code == "role"] == [] and "role" in compared
    # the post she will hold is not hers yet when the corpus was written
    diags, _ = _check(e, "Central bank governor Lena Brandt spoke in Oslo.")
    assert ["Finance Minister" in d.message for d in diags if d.code == "role"] == [True]
