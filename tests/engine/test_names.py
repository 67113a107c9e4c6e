"""Names as people write them: particles, compound surnames, diacritics, initials, honorifics,
surnames that spaCy tags ORG or GPE, and two people who share a surname.

Unit tests build the person registry the way ingest does (``parse_many`` with the project's
pipeline, then ``PeopleRegistry.build``, and the index's per-document
``document_evidence`` / ``merge_people``), and read mentions from draft sentences;
end-to-end tests check drafts against a small corpus written to ``tmp_path``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_engine import engine_over
from factlint.config import EngineConfig
from factlint.engine import Engine
from factlint.ingest import Document, document_evidence, merge_people, parse_many
from factlint.name_evidence import NameEvidence
from factlint.names import (
    fold,
    given_compatible,
    given_parts,
    initials,
    is_particle,
    name_key,
    name_parts,
    similar_name,
)
from factlint.nlp import load_pipeline
from factlint.people import PeopleRegistry
from factlint.rules import load_rules

CORPUS = """\
Marine Le Pen, the leader of the National Rally, said the result was a victory. Le Pen said \
her party would fight on.

President Charles de Gaulle founded the Fifth Republic in 1958. De Gaulle said France had to \
lead.

Ursula von der Leyen, the president of the European Commission, said the deal was done. Von \
der Leyen added that talks would continue.

Henry Kyobe Bosa said the army would stay in the east. Kyobe Bosa added that peace was near.

Anne-Marie de la Croix said the museum would reopen in June. De la Croix said the repairs \
would take a year.

Dr. Jean Paul Mikobi said the outbreak was contained. Jean-Paul Mikobi, who leads the \
response, said vaccines had arrived. Mikobi said the risk remained.

The government of Prime Minister François Bayrou fell on Monday. Francois Bayrou said he \
would resign.

Carlos Núñez said the river had risen overnight. Nunez said the dam would hold.

Tata Sons chairman N. Chandrasekaran said the deal was good. Chandrasekaran said sales rose. \
Natarajan Chandrasekaran joined the group in 1987.

GS Malik said the team had won. R. K. Varma said the price had fallen. Varma added that costs \
would rise.

Manchester City manager Pep Guardiola said the team played well. Guardiola said the title \
race was open. Jordan Henderson, 34, said it was hard. Henderson saved a penalty.

Sam Parker said the bridge would open. Jo Parker said the bridge was unsafe.

Mr Boulapé said the mine was closed. Ms. Okonkwo-Adeyemi said the talks had failed. Prof. Ng \
said the data were clear. Sir Keir Starmer said the plan would work. Gen. Valery Zaluzhny \
said the front was stable.

Chinese President Xi Jinping met Kim Jong Un in Beijing. Xi said the talks were good.

Shehbaz Sharif said the economy grew. Nawaz Sharif said the party was united.

Recep Tayyip Erdoğan said Turkey would mediate. Erdogan said the talks would be held in \
Istanbul.

Mohammed bin Salman said the kingdom would invest. Conor O'Brien said the vote was close. \
O'Brien added that turnout was high. Bashar al-Assad fled to Moscow. J.K. Rowling said the \
book was finished.

Judge Harold Lim said the sentence was fair. Detective Inspector Sunil K. Batra said the \
inquiry had been long.

Martin Luther King Jr. said the dream lived on. Mateus van der Berg said the club would \
appeal. Tomás Ibáñez said the team had improved. Ibanez added that the fans were patient.

Luiz Inácio Lula da Silva said Brazil would grow. Lula said the economy was strong.

Minister for Civil Protection Rosaria Benvenuti said the town would be rebuilt. Benvenuti \
told reporters that help was coming.

Officials in Washington said the talks would resume. Lawmakers in Washington disagreed. Aid \
reached Washington on Friday. George Washington said the army would cross the river.
"""


@pytest.fixture(scope="module")
def nlp():  # noqa: ANN201 - spaCy Language
    return load_pipeline()


@pytest.fixture(scope="module")
def rules():  # noqa: ANN201
    return load_rules(None)


@pytest.fixture(scope="module")
def registry(nlp, rules) -> PeopleRegistry:
    parsed = parse_many([Document("/corpus/names.txt", "names.txt", CORPUS)], nlp)
    people = PeopleRegistry(rules)
    people.build([p.doc for d in parsed for p in d.paragraphs])
    return people


def mentions(registry: PeopleRegistry, nlp, text: str, allow_new: bool = True,
             recent: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return [(m.text, m.person) for m in registry.mentions(nlp(text), allow_new, recent)]


# ------------------------------------------------------------------------------ names.py
def test_fold_and_parts() -> None:
    assert fold("Núñez") == "nunez"
    assert fold("François") == fold("Francois") == "francois"
    assert fold("Boulapé") == "boulape"
    assert name_parts("Jean-Paul") == ("jean", "paul")
    assert name_parts("Núñez’s") == ("nunez",)
    assert name_parts("O'Brien") == ("o'brien",)
    assert name_key(["Le", "Pen"]) == name_key(["le", "Pen"]) == ("le", "pen")
    assert name_key(["Okonkwo-Adeyemi"]) == name_key(["Okonkwo", "Adeyemi"])


def test_initials_and_particles() -> None:
    assert initials("N.") == ("n",)
    assert initials("R.K.") == ("r", "k")
    assert initials("GS") == ("g", "s")
    assert initials("Ng") is None and initials("Natarajan") is None
    for p in ("de", "la", "Le", "von", "der", "van", "bin", "da", "du", "del"):
        assert is_particle(p), p
    for w in ("Pen", "an", "at", "Mac", "San"):
        assert not is_particle(w), w


@pytest.mark.parametrize(("a", "b", "ok"), [
    ("N.", "Natarajan", True),
    ("R. K.", "Ravi Kumar", True),
    ("GS", "Gurpreet Singh", True),
    ("Jean-Paul", "Jean Paul", True),
    ("Jean", "Jean Paul", True),
    ("François", "Francois", True),
    ("Sam", "Jo", False),
    ("Shehbaz", "Nawaz", False),
    ("N.", "Jo", False),
    ("Jean-Marie", "Marine", False),
])
def test_given_compatible(a: str, b: str, ok: bool) -> None:
    assert given_compatible(given_parts(a.split()), given_parts(b.split())) is ok


def test_similar_name_folds_diacritics() -> None:
    assert similar_name("Núñez", "Nunez")
    assert similar_name("Zelensky", "Zelenskyy")
    assert not similar_name("Parker", "Porter")


# ------------------------------------------------------------------------------ registry
PERSONS = [
    # (canonical id and display name, surname as written on its own)
    ("Marine Le Pen", "Le Pen"),
    ("Charles de Gaulle", "de Gaulle"),
    ("Ursula von der Leyen", "von der Leyen"),
    ("Henry Kyobe Bosa", "Kyobe Bosa"),
    ("Anne-Marie de la Croix", "de la Croix"),
    ("Jean Paul Mikobi", "Mikobi"),
    ("François Bayrou", "Bayrou"),
    ("Carlos Núñez", "Núñez"),
    ("Natarajan Chandrasekaran", "Chandrasekaran"),
    ("GS Malik", "Malik"),
    ("R. K. Varma", "Varma"),
    ("Pep Guardiola", "Guardiola"),
    ("Jordan Henderson", "Henderson"),
    ("Sam Parker", "Parker"),
    ("Jo Parker", "Parker"),
    ("Boulapé", "Boulapé"),
    ("Okonkwo-Adeyemi", "Okonkwo-Adeyemi"),
    ("Ng", "Ng"),
    ("Keir Starmer", "Starmer"),
    ("Valery Zaluzhny", "Zaluzhny"),
    ("Xi Jinping", "Xi"),
    ("Kim Jong Un", "Un"),
    ("Shehbaz Sharif", "Sharif"),
    ("Nawaz Sharif", "Sharif"),
    ("Recep Tayyip Erdoğan", "Erdoğan"),
    ("Mohammed bin Salman", "bin Salman"),
    ("Conor O'Brien", "O'Brien"),
    ("Bashar al-Assad", "al-Assad"),
    ("J.K. Rowling", "Rowling"),
    ("Harold Lim", "Lim"),
    ("Sunil K. Batra", "Batra"),
    ("Martin Luther King", "King"),
    ("Mateus van der Berg", "van der Berg"),
    ("Tomás Ibáñez", "Ibáñez"),
    ("Luiz Inácio Lula da Silva", "Lula"),
    ("Rosaria Benvenuti", "Benvenuti"),
    ("George Washington", "Washington"),
]


def test_at_least_thirty_names() -> None:
    assert len(PERSONS) >= 30


@pytest.mark.parametrize(("pid", "surname"), PERSONS, ids=[p for p, _ in PERSONS])
def test_canonical_person(registry: PeopleRegistry, pid: str, surname: str) -> None:
    assert pid in registry.persons, sorted(registry.persons)
    assert registry.name(pid) == pid
    assert registry.surname(pid) == surname


def test_no_garbled_or_titled_names(registry: PeopleRegistry) -> None:
    ids = set(registry.persons)
    words = {w for pid in ids for w in pid.split()}
    # honorifics, titles and suffixes are not part of a name; no name is cut short
    for bad in ("Dr.", "Mr", "Ms.", "Prof.", "Sir", "Gen.", "Judge", "Detective", "Inspector",
                "President", "Prime", "Minister", "Jr.", "Chinese", "Civil", "Protection",
                "Tata", "Sons", "Manchester"):
        assert bad not in words, bad
    for bad in ("Marine Le", "Ursula", "Ursula von der", "Kyobe Bosa", "Leyen", "Pen",
                "Francois", "Nunez", "Erdogan", "Jean-Paul Mikobi", "N. Chandrasekaran",
                "Washington", "Guardiola", "Lula", "Xi", "Kim"):
        assert bad not in ids, bad


def test_aliases(registry: PeopleRegistry) -> None:
    p = registry.persons
    assert set(p["François Bayrou"].firsts) == {"François", "Francois"}
    assert set(p["Natarajan Chandrasekaran"].firsts) == {"Natarajan", "N."}
    assert set(p["Jean Paul Mikobi"].firsts) == {"Jean Paul", "Jean-Paul"}
    assert set(p["Recep Tayyip Erdoğan"].surnames) == {"Erdoğan", "Erdogan"}
    assert "Lula" in p["Luiz Inácio Lula da Silva"].surnames
    assert "Xi" in p["Xi Jinping"].surnames
    # a bare surname several people share stays no one's in particular
    assert registry.candidates("Parker") == ["Sam Parker", "Jo Parker"]
    assert sorted(registry.candidates("Sharif")) == ["Nawaz Sharif", "Shehbaz Sharif"]
    assert registry.lookup_surname("Nunez") == registry.lookup_surname("Núñez") == "Carlos Núñez"
    assert registry.lookup_surname("Kyobe Bosa") == "Henry Kyobe Bosa"
    assert registry.lookup_surname("von der Leyen") == "Ursula von der Leyen"


def test_parallel_registry_is_the_same(nlp, rules, registry: PeopleRegistry) -> None:
    """The index builds the registry from each document's stored name evidence (JSON), split
    anywhere into documents: the same registry as from the parsed paragraphs at once."""
    paras = CORPUS.split("\n\n")
    docs = [Document(f"/corpus/names-{n}.txt", f"names-{n}.txt", text)
            for n, text in enumerate(["\n\n".join(paras[:3]), "\n\n".join(paras[3:])])]
    parsed = parse_many(docs, nlp)
    evidence = [NameEvidence.from_json(document_evidence(p, PeopleRegistry(rules)).to_json())
                for p in parsed]
    other = merge_people(rules, evidence)
    assert other.to_json() == registry.to_json()
    loaded = PeopleRegistry(rules)
    loaded.load_json(registry.to_json())
    assert loaded.display_names() == registry.display_names()
    assert mentions(loaded, nlp, "Le Pen met Kyobe Bosa.") == [
        ("Le Pen", "Marine Le Pen"), ("Kyobe Bosa", "Henry Kyobe Bosa")]


# ------------------------------------------------------------------------------ mentions
MENTIONS = [
    # particles and compound surnames: the whole name, never half of it
    ("Le Pen said it would pass.", [("Le Pen", "Marine Le Pen")]),
    ("Marine Le Pen said it would pass.", [("Marine Le Pen", "Marine Le Pen")]),
    ("The plan was backed by Marine Le Pen's party.", [("Marine Le Pen", "Marine Le Pen")]),
    ("De Gaulle and Charles de Gaulle are one man.",
     [("De Gaulle", "Charles de Gaulle"), ("Charles de Gaulle", "Charles de Gaulle")]),
    ("The letter was signed by von der Leyen.", [("von der Leyen", "Ursula von der Leyen")]),
    ("Ursula von der Leyen spoke first.", [("Ursula von der Leyen", "Ursula von der Leyen")]),
    ("Kyobe Bosa met Henry Kyobe Bosa's deputy.",
     [("Kyobe Bosa", "Henry Kyobe Bosa"), ("Henry Kyobe Bosa", "Henry Kyobe Bosa")]),
    ("De la Croix praised Anne-Marie de la Croix.",
     [("De la Croix", "Anne-Marie de la Croix"),
      ("Anne-Marie de la Croix", "Anne-Marie de la Croix")]),
    ("Dr Jean-Paul Mikobi and Dr. Jean Paul Mikobi and Mikobi.",
     [("Jean-Paul Mikobi", "Jean Paul Mikobi"), ("Jean Paul Mikobi", "Jean Paul Mikobi"),
      ("Mikobi", "Jean Paul Mikobi")]),
    ("Mateus van der Berg said so.", [("Mateus van der Berg", "Mateus van der Berg")]),
    ("Mohammed bin Salman said so.", [("Mohammed bin Salman", "Mohammed bin Salman")]),
    ("Martin Luther King Jr. said so.", [("Martin Luther King", "Martin Luther King")]),
    # diacritics
    ("Nunez, Núñez and Carlos Nunez agreed.",
     [("Nunez", "Carlos Núñez"), ("Núñez", "Carlos Núñez"), ("Carlos Nunez", "Carlos Núñez")]),
    ("Francois Bayrou met Boulape.",
     [("Francois Bayrou", "François Bayrou"), ("Boulape", "Boulapé")]),
    ("Ibanez and Tomas Ibanez.",
     [("Ibanez", "Tomás Ibáñez"), ("Tomas Ibanez", "Tomás Ibáñez")]),
    ("Erdogan spoke.", [("Erdogan", "Recep Tayyip Erdoğan")]),
    # initials and honorifics are not part of the name
    ("Chandrasekaran met N. Chandrasekaran and Natarajan Chandrasekaran.",
     [("Chandrasekaran", "Natarajan Chandrasekaran"),
      ("N. Chandrasekaran", "Natarajan Chandrasekaran"),
      ("Natarajan Chandrasekaran", "Natarajan Chandrasekaran")]),
    ("R. K. Varma and Varma and GS Malik.",
     [("R. K. Varma", "R. K. Varma"), ("Varma", "R. K. Varma"), ("GS Malik", "GS Malik")]),
    ("Prof. Ng met Ms. Okonkwo-Adeyemi and Sir Keir Starmer.",
     [("Ng", "Ng"), ("Okonkwo-Adeyemi", "Okonkwo-Adeyemi"), ("Keir Starmer", "Keir Starmer")]),
    ("Gen. Valery Zaluzhny and Mr Zaluzhny.",
     [("Valery Zaluzhny", "Valery Zaluzhny"), ("Zaluzhny", "Valery Zaluzhny")]),
    ("Judge Harold Lim and Judge Lim.", [("Harold Lim", "Harold Lim"), ("Lim", "Harold Lim")]),
    ("Detective Inspector Sunil K. Batra said so.", [("Sunil K. Batra", "Sunil K. Batra")]),
    ("Prime Minister Keir Starmer said so.", [("Keir Starmer", "Keir Starmer")]),
    # surname-first and single-name usage the corpus attests
    ("Xi met Lula.", [("Xi", "Xi Jinping"), ("Lula", "Luiz Inácio Lula da Silva")]),
    ("Conor O'Brien and O'Brien.",
     [("Conor O'Brien", "Conor O'Brien"), ("O'Brien", "Conor O'Brien")]),
    # a person spaCy may tag ORG or GPE
    ("Guardiola said the team played well.", [("Guardiola", "Pep Guardiola")]),
    ("Henderson saved a penalty.", [("Henderson", "Jordan Henderson")]),
    ("Benvenuti told reporters that help was coming.", [("Benvenuti", "Rosaria Benvenuti")]),
    # names beside other names
    ("The Sharif-Erdogan talks ended.",
     [("Erdogan", "Recep Tayyip Erdoğan")]),
    ("Tata Sons said profits rose.", []),
    # a club before a title is its scope, not a person
    ("Kelvin Rovers manager Graham McAllister said so.",
     [("Graham McAllister", "Graham McAllister")]),
]


@pytest.mark.parametrize(("text", "expected"), MENTIONS, ids=[t for t, _ in MENTIONS])
def test_mentions(registry: PeopleRegistry, nlp, text: str,
                  expected: list[tuple[str, str]]) -> None:
    assert mentions(registry, nlp, text) == expected


def test_headlines(registry: PeopleRegistry, nlp, rules) -> None:
    """Title case: capitalised words are no given names, and no one new is named."""
    assert mentions(registry, nlp, "Guardiola Meets Henderson in Manchester") == [
        ("Guardiola", "Pep Guardiola"), ("Henderson", "Jordan Henderson")]
    assert mentions(registry, nlp, "President Pierre Durand Wins Election") == []
    parsed = parse_many([Document("/c/h.md", "h.md", "Guardiola Meets Henderson In Madrid\n\n"
                                  "Pep Guardiola said the team played well.\n")], nlp)
    people = PeopleRegistry(rules)
    people.build([p.doc for d in parsed for p in d.paragraphs])
    assert sorted(people.persons) == ["Pep Guardiola"]


def test_mention_spans_are_the_name_only(registry: PeopleRegistry, nlp) -> None:
    text = "Yesterday Dr. Jean Paul Mikobi's team arrived."
    doc = nlp(text)
    (m,) = registry.mentions(doc)
    assert text[m.start_char:m.end_char] == "Jean Paul Mikobi"
    assert (doc[m.start].text, doc[m.end - 1].text) == ("Jean", "Mikobi")


def test_shared_surname_resolves_to_the_one_in_focus(registry: PeopleRegistry, nlp) -> None:
    # alone, "Parker" (or "Sharif") is ambiguous: no mention rather than a guess
    assert mentions(registry, nlp, "Parker said nothing.") == []
    assert mentions(registry, nlp, "Sharif said nothing.") == []
    # the one named in full in the same paragraph
    assert mentions(registry, nlp, "Jo Parker spoke. Parker said the bridge was unsafe.") == [
        ("Jo Parker", "Jo Parker"), ("Parker", "Jo Parker")]
    assert mentions(registry, nlp, "Sam Parker spoke. Parker said the bridge would open.") == [
        ("Sam Parker", "Sam Parker"), ("Parker", "Sam Parker")]
    # or the latest person in focus that has it
    assert mentions(registry, nlp, "Parker said nothing.",
                    recent=("Sam Parker", "Jo Parker")) == [("Parker", "Jo Parker")]


def test_different_first_name_is_another_person(registry: PeopleRegistry, nlp) -> None:
    # in a draft, a known surname with another given name is a new person, never the known one
    assert mentions(registry, nlp, "Jean-Marie Le Pen said so.") == [
        ("Jean-Marie Le Pen", "Jean-Marie Le Pen")]
    assert mentions(registry, nlp, "Alex Parker said so.") == [("Alex Parker", "Alex Parker")]
    # in the corpus (no new persons) it is no mention at all
    assert mentions(registry, nlp, "Alex Parker said so.", allow_new=False) == []
    # a new person's name is clean: no title, no half name
    assert mentions(registry, nlp, "Prime Minister Pierre Durand said so.") == [
        ("Pierre Durand", "Pierre Durand")]


def test_surname_that_is_mostly_a_place(registry: PeopleRegistry, nlp) -> None:
    # the corpus uses "Washington" as a place more than as George Washington's name
    assert "washington" in registry.placey
    assert mentions(registry, nlp, "Washington said it would respond.") == []
    assert mentions(registry, nlp, "Talks in Washington resumed.") == []
    # named in full, or with an honorific, or after the full name: the person
    assert mentions(registry, nlp, "George Washington crossed. Washington said so.") == [
        ("George Washington", "George Washington"), ("Washington", "George Washington")]
    assert mentions(registry, nlp, "Mr Washington said so.") == [
        ("Washington", "George Washington")]


def test_name_as_spoken(registry: PeopleRegistry) -> None:
    assert registry.name_as_spoken("Marine Le Pen", "Bayrou") == "Le Pen"
    assert registry.name_as_spoken("Chidi Okonkwo", "de la Croix") == "Okonkwo"
    assert registry.name_as_spoken("Ursula von der Leyen", "Le Pen") == "von der Leyen"
    assert registry.name_as_spoken("Marine Le Pen", "François Bayrou") == "Marine Le Pen"


# ------------------------------------------------------------------------------ end to end
ARTICLE = """\
# Budget vote

Marine Le Pen, the leader of the National Rally, spoke to supporters in Paris on Sunday.

"We will never accept a budget that makes the French poorer," Le Pen said after the vote.

Prime Minister François Bayrou said his government had done everything it could.

"The country cannot wait for another year of paralysis," Bayrou told reporters.

Sam Parker, the city engineer, said the new bridge was sound. "The bridge will open on \
schedule in the spring," Parker said.

Jo Parker, who chairs the residents' group, disagreed. "Nobody has shown us the inspection \
report yet," Jo Parker said.

Carlos Núñez, the dam operator's spokesman, said the river had risen overnight. "The dam was \
built for a flood twice this size," Núñez said.

Tata Sons chairman N. Chandrasekaran said the group would keep investing. "We are building \
for the next twenty years, not the next quarter," Chandrasekaran said.

Ursula von der Leyen, the president of the European Commission, spoke in Brussels. "Europe \
will stand by its partners for as long as it takes," von der Leyen said.
"""

BUDGET = "\"We will never accept a budget that makes the French poorer,\""


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    corpus = tmp_path_factory.mktemp("names-corpus")
    (corpus / "budget.md").write_text(ARTICLE, encoding="utf-8")
    e = Engine(EngineConfig(corpus=[corpus], cache_dir=tmp_path_factory.mktemp("cache")))
    e.load_corpus()
    return e


def check(engine: Engine, draft: str) -> list:
    return engine.check_text(draft + "\n", "d.md")


def test_corpus_quotes_have_clean_speakers(engine: Engine) -> None:
    speakers = {f.value["speaker"] for f in engine.load_corpus().facts if f.kind == "quote"}
    assert speakers >= {"Marine Le Pen", "François Bayrou", "Sam Parker", "Jo Parker",
                        "Carlos Núñez", "N. Chandrasekaran", "Ursula von der Leyen"}


@pytest.mark.parametrize("draft", [
    f"{BUDGET} Marine Le Pen said.",
    f"{BUDGET} Le Pen said.",
    f"{BUDGET} said Marine Le Pen, the leader of the National Rally.",
    "\"The dam was built for a flood twice this size,\" Carlos Nunez said.",
    "\"The dam was built for a flood twice this size,\" Nunez said.",
    "\"We are building for the next twenty years, not the next quarter,\" Natarajan "
    "Chandrasekaran said.",
    "\"We are building for the next twenty years, not the next quarter,\" Mr. Chandrasekaran "
    "said.",
    "\"Europe will stand by its partners for as long as it takes,\" Ursula von der Leyen said.",
    "\"The bridge will open on schedule in the spring,\" Sam Parker said.",
    # ambiguous: two Parkers in the corpus, and this one is not named in full
    "\"Nobody has shown us the inspection report yet,\" Parker said.",
])
def test_right_speaker_is_silent(engine: Engine, draft: str) -> None:
    assert [(d.code, d.message) for d in check(engine, draft)] == []


@pytest.mark.parametrize(("draft", "fix"), [
    (f"{BUDGET} Bayrou said.", "Le Pen"),
    (f"{BUDGET} Prime Minister François Bayrou said.", "Marine Le Pen"),
    (f"{BUDGET} Jean-Marie Le Pen said.", "Marine Le Pen"),
    ("\"The bridge will open on schedule in the spring,\" Jo Parker said.", "Sam Parker"),
    ("\"Nobody has shown us the inspection report yet,\" Sam Parker said.", "Jo Parker"),
    ("\"The dam was built for a flood twice this size,\" Chandrasekaran said.", "Núñez"),
    ("\"Europe will stand by its partners for as long as it takes,\" Bayrou said.",
     "von der Leyen"),
])
def test_wrong_speaker_fires_with_a_clean_fix(engine: Engine, draft: str, fix: str) -> None:
    diags = check(engine, draft)
    assert [d.code for d in diags] == ["quote-speaker"]
    assert diags[0].fix is not None and diags[0].fix.new_text == fix


@pytest.mark.parametrize("body", ["Europa League", "Wembley Stadium", "Norrvik Friday"])
def test_a_body_venue_or_day_tagged_person_is_no_person(body: str) -> None:
    """speech.not_name_words: whatever the tagger says, "the Europa League said" is no person."""
    from spacy.tokens import Span

    from factlint.nlp import load_pipeline
    from factlint.people import PeopleRegistry
    from factlint.rules import load_rules

    nlp = load_pipeline(None)
    doc = nlp(f'"It was a great night," the {body} said. "We are proud," said the {body}.')
    first = body.split()[0]
    doc.set_ents([Span(doc, t.i, t.i + 2, label="PERSON") for t in doc if t.text == first])
    registry = PeopleRegistry(load_rules())
    registry.build([doc])
    assert [registry.name(p) for p in registry.persons] == []


def test_an_acronym_matches_its_name_spelled_out_in_order() -> None:
    from factlint.names import any_overlap

    assert any_overlap(["ftc"], ["federal", "trade", "commission"]) == 1
    assert any_overlap(["us", "federal", "trade", "commission"], ["ftc"]) == 1
    assert any_overlap(["who"], ["world", "health", "organization"]) == 1
    assert any_overlap(["ftc"], ["trade", "federal", "commission"]) == 0  # not in that order
    assert any_overlap(["ftc"], {"federal", "trade", "commission"}) == 0  # no order known
    assert any_overlap(["ab"], ["alpha", "beta"]) == 0  # two letters are too easily met


def test_acronym_links_two_reports_of_one_ruling(tmp_path: Path) -> None:
    e = engine_over(tmp_path, "Merger cleared\nA federal judge in Oakland ruled that the FTC "
                              "had not shown the merger would harm competition.\n")
    support: list = []
    wrong = e.check_text("A federal judge in Boston ruled that the Federal Trade Commission "
                         "had not shown the merger would harm competition.\n", "d.md")
    assert [d.code for d in wrong] == ["place"] and "Oakland" in wrong[0].message
    right = e.check_text("A federal judge in Oakland ruled that the Federal Trade Commission "
                         "had not shown the merger would harm competition.\n", "d.md",
                         support=support)
    assert right == [] and any(c.kind == "place" for c, facts in support if facts)


def test_a_weekday_after_a_company_is_nobodys_name(rules) -> None:
    # what "Orbitel Friday completed its takeover" and "..., said Friday" leave as name
    # evidence: a titled bare "Friday", and "Orbitel Friday" without evidence of its own. A
    # weekday is a not-name word: no person is made of it, nor a full name joined to one
    from collections import Counter

    from factlint.people import _Obs

    people = PeopleRegistry(rules)
    people._resolve_corpus([
        _Obs(("Friday",), frozenset({"title", "speech"}), frozenset({"PERSON"})),
        _Obs(("Orbitel", "Friday"), frozenset(), frozenset({"PERSON"})),
        _Obs(("Martin", "Okoro"), frozenset({"speech", "ent"}), frozenset({"PERSON"})),
    ], Counter())
    assert not [pid for pid in people.persons if "Friday" in pid], sorted(people.persons)
    assert "Martin Okoro" in people.persons
