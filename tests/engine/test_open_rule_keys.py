"""Each rules key of the open frames, numbers and places changes what the engine reports.

Every test writes a tiny corpus (an invented story) to ``tmp_path``, checks the same draft
sentence with the bundled rules and with one extra rules folder that adds the key's value, and
shows a diagnostic (or a support entry: a claim compared and found consistent) appearing or
disappearing. A control sentence shows the difference comes from the key, not from chance.
"""

from __future__ import annotations

from pathlib import Path

from factlint.config import EngineConfig
from factlint.engine import Engine


def _engines(tmp_path: Path, article: str, rules_yaml: str) -> tuple[Engine, Engine]:
    """(bundled rules only, bundled rules + ``rules_yaml``) over a one-article corpus."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "story.txt").write_text(article, encoding="utf-8")
    extra = tmp_path / "rules"
    extra.mkdir()
    (extra / "extra.yml").write_text(rules_yaml, encoding="utf-8")
    base = Engine(EngineConfig(corpus=[corpus], cache_dir=tmp_path / "cache-base"))
    tuned = Engine(EngineConfig(corpus=[corpus], rules=[extra],
                                cache_dir=tmp_path / "cache-tuned"))
    base.load_corpus()
    tuned.load_corpus()
    return base, tuned


def _check(engine: Engine, draft: str, kind: str) -> tuple[list[str], list[dict]]:
    """The messages of the check of ``kind``'s code, and the draft values of ``kind`` that
    were compared with the corpus and found consistent."""
    code = {"date": "date", "count": "number", "place": "place"}[kind]
    support: list = []  # also bypasses the paragraph result cache
    diags = engine.check_text(draft + "\n", "d.md", support=support)
    messages = [d.message for d in diags if d.code == code]
    agreed = [claim.value for claim, facts in support if claim.kind == kind and facts]
    return messages, agreed


# ------------------------------------------------------------------------------ frames
def test_frames_synonyms_make_two_verbs_one_frame(tmp_path: Path) -> None:
    base, tuned = _engines(
        tmp_path,
        "Harbour town gets new ferry\n"
        "The Calloway Ferry Company christened its electric ferry in 2021.\n"
        "The ferry carries 140 passengers.\n",
        "frames:\n  synonyms:\n    christen: [christen, launch]\n")
    wrong = "The Calloway Ferry Company launched its electric ferry in 2022."
    right = "The Calloway Ferry Company launched its electric ferry in 2021."
    # bundled rules: launching is another predicate than christening, nothing to compare
    assert _check(base, wrong, "date") == ([], [])
    assert _check(base, right, "date") == ([], [])
    messages, _ = _check(tuned, wrong, "date")
    assert len(messages) == 1 and "2022" in messages[0] and "2021" in messages[0]
    messages, agreed = _check(tuned, right, "date")
    assert messages == [] and [v["year"] for v in agreed] == [2021]


def test_frames_occurrence_words_set_a_date_apart(tmp_path: Path) -> None:
    base, tuned = _engines(
        tmp_path,
        "Sailing club marks jubilee\n"
        "Pellham Sailing Club hosted its regatta in 2019.\n"
        "About 40 boats took part.\n",
        "frames:\n  occurrence_words: [rescheduled]\n")
    draft = "Pellham Sailing Club hosted its rescheduled regatta in 2021."
    messages, _ = _check(base, draft, "date")
    assert len(messages) == 1 and "2019" in messages[0]
    # the draft's "rescheduled" regatta is another occurrence than the corpus's
    assert _check(tuned, draft, "date")[0] == []
    control = "Pellham Sailing Club hosted its regatta in 2021."
    assert len(_check(tuned, control, "date")[0]) == 1


def test_frames_occurrence_words_set_a_count_apart(tmp_path: Path) -> None:
    base, tuned = _engines(
        tmp_path,
        "Sailing club marks jubilee\n"
        "Pellham Sailing Club's regatta drew 40 boats.\n"
        "The weather was fine.\n",
        "frames:\n  occurrence_words: [rescheduled]\n")
    draft = "Pellham Sailing Club's rescheduled regatta drew 55 boats."
    messages, _ = _check(base, draft, "count")
    assert len(messages) == 1 and "55" in messages[0] and "40" in messages[0]
    assert _check(tuned, draft, "count")[0] == []
    control = "Pellham Sailing Club's regatta drew 55 boats."
    assert len(_check(tuned, control, "count")[0]) == 1


def test_frames_light_verbs_hand_the_frame_to_their_noun(tmp_path: Path) -> None:
    base, tuned = _engines(
        tmp_path,
        "Ferry news\n"
        "The Calloway ferry launch happened in 2021.\n"
        "It drew a crowd.\n",
        "frames:\n  light_verbs: [happen]\n")
    draft = "The Calloway ferry launch was in 2022."
    # bundled rules: the corpus date is the happening's, the draft's the launch's
    assert _check(base, draft, "date") == ([], [])
    messages, _ = _check(tuned, draft, "date")
    assert len(messages) == 1 and "2022" in messages[0] and "2021" in messages[0]
    assert [v["year"] for v in _check(tuned, "The Calloway ferry launch was in 2021.",
                                      "date")[1]] == [2021]


def test_frames_not_heads_never_head_a_frame(tmp_path: Path) -> None:
    base, tuned = _engines(
        tmp_path,
        "Ferry news\n"
        "The Calloway Ferry Company unveiled its electric ferry in 2021.\n"
        "It drew a crowd.\n",
        "frames:\n  not_heads: [ceremony]\n")
    draft = "The Calloway Ferry Company unveiled its electric ferry at a ceremony in 2022."
    # bundled rules: the date is the ceremony's, which the corpus does not date
    assert _check(base, draft, "date") == ([], [])
    messages, _ = _check(tuned, draft, "date")
    assert len(messages) == 1 and "2022" in messages[0] and "2021" in messages[0]


# ------------------------------------------------------------------------------ numbers
def test_numbers_currencies_sign_and_word(tmp_path: Path) -> None:
    base, tuned = _engines(
        tmp_path,
        "Harbour budget agreed\n"
        "The Pellham harbour upgrade will cost ₦40 million.\n"
        "Work starts in spring.\n",
        'numbers:\n  currencies: {"₦": NGN, naira: NGN}\n')
    wrong = "The Pellham harbour upgrade will cost ₦45 million."
    same_in_words = "The Pellham harbour upgrade will cost 40 million naira."
    # bundled rules: "₦40 million" is no amount of money, and the corpus has no cost
    assert _check(base, wrong, "count") == ([], [])
    assert _check(base, same_in_words, "count") == ([], [])
    messages, _ = _check(tuned, wrong, "count")
    assert messages and "₦45 million" in messages[0] and "₦40 million" in messages[0]
    messages, agreed = _check(tuned, same_in_words, "count")
    assert messages == [] and [v["text"] for v in agreed] == ["40 million naira"]


def test_numbers_scales(tmp_path: Path) -> None:
    base, tuned = _engines(
        tmp_path,
        "Harbour budget agreed\n"
        "Pellham council approved a ₹120 million budget for the harbour.\n"
        "Work starts in spring.\n",
        "numbers:\n  scales: {crore: 10000000}\n")
    draft = "Pellham council approved a ₹12 crore budget for the harbour."
    # bundled rules: "₹12 crore" reads as ₹12
    messages, agreed = _check(base, draft, "count")
    assert len(messages) == 1 and "₹120 million" in messages[0] and agreed == []
    messages, agreed = _check(tuned, draft, "count")  # 12 crore is 120 million
    assert messages == [] and [v["text"] for v in agreed] == ["₹12 crore"]
    assert len(_check(tuned, "Pellham council approved a ₹15 crore budget for the harbour.",
                      "count")[0]) == 1


def test_numbers_ignore_mods(tmp_path: Path) -> None:
    base, tuned = _engines(
        tmp_path,
        "Referendum result\n"
        "The Pellham referendum drew 4,000 voters.\n"
        "The count ended at midnight.\n",
        "numbers:\n  ignore_mods: [eligible]\n")
    wrong = "The Pellham referendum drew 4,500 eligible voters."
    # bundled rules: "eligible voters" are another thing than "voters"
    assert _check(base, wrong, "count") == ([], [])
    assert _check(base, "The Pellham referendum drew 4,000 eligible voters.", "count") == ([], [])
    messages, _ = _check(tuned, wrong, "count")
    assert len(messages) == 1 and "4,500" in messages[0] and "4,000" in messages[0]
    assert [v["lo"] for v in _check(tuned, "The Pellham referendum drew 4,000 eligible voters.",
                                    "count")[1]] == [4000.0]


def test_numbers_generic_things(tmp_path: Path) -> None:
    base, tuned = _engines(
        tmp_path,
        "Shipyard news\n"
        "The Calloway yard built 12 vessels.\n"
        "It employs 300 welders.\n",
        "numbers:\n  generic_things: [vessel]\n")
    draft = "The Calloway yard repaired 15 vessels."
    # bundled rules: vessels say what is counted, whatever the verb
    messages, _ = _check(base, draft, "count")
    assert len(messages) == 1 and "15" in messages[0] and "12" in messages[0]
    # a generic thing: the frame must agree too, and repairing is not building
    assert _check(tuned, draft, "count") == ([], [])
    assert len(_check(tuned, "The Calloway yard built 15 vessels.", "count")[0]) == 1


# ------------------------------------------------------------------------------ places
def test_places_venue_heads(tmp_path: Path) -> None:
    base, tuned = _engines(
        tmp_path,
        "Ferry news\n"
        "The Calloway Ferry Company unveiled its electric ferry at Harlow Pavilion.\n"
        "It drew a crowd.\n",
        "places:\n  venue_heads: [pavilion]\n")
    wrong = "The Calloway Ferry Company unveiled its electric ferry at Denby Pavilion."
    right = "The Calloway Ferry Company unveiled its electric ferry at Harlow Pavilion."
    # bundled rules: the tagger's "Harlow Pavilion" is no place
    assert _check(base, wrong, "place") == ([], [])
    assert _check(base, right, "place") == ([], [])
    messages, _ = _check(tuned, wrong, "place")
    assert len(messages) == 1 and "Denby Pavilion" in messages[0] \
        and "Harlow Pavilion" in messages[0]
    assert [v["text"] for v in _check(tuned, right, "place")[1]] == ["Harlow Pavilion"]


def test_places_based_words(tmp_path: Path) -> None:
    base, tuned = _engines(
        tmp_path,
        "Ferry news\n"
        "Calloway Ferries, the Seattle-based operator, unveiled an electric ferry in 2021.\n"
        "It drew a crowd.\n",
        "places:\n  based_words: [registered]\n")
    wrong = "Calloway Ferries, the Chicago-registered operator, unveiled an electric ferry."
    right = "Calloway Ferries, the Seattle-registered operator, unveiled an electric ferry."
    assert _check(base, wrong, "place") == ([], [])
    assert _check(base, right, "place") == ([], [])
    messages, _ = _check(tuned, wrong, "place")
    assert len(messages) == 1 and "Chicago" in messages[0] and "Seattle" in messages[0]
    assert [v["text"] for v in _check(tuned, right, "place")[1]] == ["Seattle"]
    # the bundled word works in both
    based = "Calloway Ferries, the Chicago-based operator, unveiled an electric ferry."
    assert len(_check(base, based, "place")[0]) == 1


def test_places_not_place_heads(tmp_path: Path) -> None:
    base, tuned = _engines(
        tmp_path,
        "Ferry news\n"
        "The Calloway Ferry Company unveiled its electric ferry at the Bergen Regatta.\n"
        "It drew a crowd.\n",
        "places:\n  not_place_heads: [regatta]\n")
    other = "The Calloway Ferry Company unveiled its electric ferry at the Stavanger Regatta."
    same = "The Calloway Ferry Company unveiled its electric ferry at the Bergen Regatta."
    # bundled rules: the regatta is taken for a place, and another one contradicts it
    messages, _ = _check(base, other, "place")
    assert len(messages) == 1 and "Stavanger Regatta" in messages[0]
    assert [v["text"] for v in _check(base, same, "place")[1]] == ["Bergen Regatta"]
    # a regatta is an event, not a place: neither sentence has a place to compare
    assert _check(tuned, other, "place") == ([], [])
    assert _check(tuned, same, "place") == ([], [])


# ------------------------------------------------------------------------------ numbers
def test_numbers_ordinal_units(tmp_path: Path) -> None:
    base, tuned = _engines(
        tmp_path,
        "Regatta report\n"
        "Ingrid Solheim took the lead on the ninth leg of the Bergen Regatta.\n"
        "Anders Vik retired with a broken mast.\n",
        "numbers:\n  ordinal_units: {leg: leg}\n")
    wrong = "Ingrid Solheim took the lead on the seventh leg of the Bergen Regatta."
    right = "Ingrid Solheim took the lead on the ninth leg of the Bergen Regatta."
    # bundled rules: an ordinal leg only marks an occurrence, it is not a value
    assert _check(base, wrong, "count") == ([], [])
    messages, _ = _check(tuned, wrong, "count")
    assert len(messages) == 1 and "seventh" in messages[0] and "ninth" in messages[0]
    assert [v["text"] for v in _check(tuned, right, "count")[1]] == ["ninth"]


def test_numbers_ordinals_words(tmp_path: Path) -> None:
    base, tuned = _engines(
        tmp_path,
        "Match report\n"
        "Kelso Rangers scored their winner in the 101st minute of the Border Cup final.\n"
        "The referee added eleven minutes.\n",
        "numbers:\n  ordinals: {hundred-and-first: 101}\n")
    words = "Kelso Rangers scored their winner in the hundred-and-first minute of the " \
        "Border Cup final."
    digits = "Kelso Rangers scored their winner in the 110th minute of the Border Cup final."
    assert _check(base, words, "count") == ([], [])  # not an ordinal the rules know
    assert [v["text"] for v in _check(tuned, words, "count")[1]] == ["hundred-and-first"]
    assert len(_check(base, digits, "count")[0]) == 1  # digits need no word list


def test_numbers_durations(tmp_path: Path) -> None:
    base, tuned = _engines(
        tmp_path,
        "Ferry contract\n"
        "The Calloway Ferry Company will run the island crossing for 20 years under the "
        "new contract.\n"
        "The crossing takes an hour.\n",
        "numbers:\n  durations: {score: [year, 20]}\n")
    right = "The Calloway Ferry Company will run the island crossing for a score under " \
        "the new contract."
    decade = "The Calloway Ferry Company will run the island crossing for a decade under " \
        "the new contract."
    assert _check(base, right, "count")[1] == []  # "a score" is no duration
    assert [v["text"] for v in _check(tuned, right, "count")[1]] == ["a score"]
    messages, _ = _check(base, decade, "count")  # the bundled "decade" is 10 years
    assert len(messages) == 1 and "a decade" in messages[0] and "20" in messages[0]


# ------------------------------------------------------------------------------ travel
def test_places_vehicles(tmp_path: Path) -> None:
    base, tuned = _engines(
        tmp_path,
        "Tram derails\n"
        "A tram bound for Glasgow derailed near Paisley on Tuesday.\n"
        "Nobody was hurt.\n",
        "places:\n  vehicles: [tram]\n")
    wrong = "The tram, bound for Aberdeen, left the rails."
    right = "The tram, bound for Glasgow, left the rails."
    assert _check(base, wrong, "place") == ([], [])  # a tram is no vehicle of the rules
    messages, _ = _check(tuned, wrong, "place")
    assert len(messages) == 1 and "Aberdeen" in messages[0] and "Glasgow" in messages[0]
    assert [v["text"] for v in _check(tuned, right, "place")[1]] == ["Glasgow"]


def test_places_travel_verbs(tmp_path: Path) -> None:
    base, tuned = _engines(
        tmp_path,
        "Ferry news\n"
        "The ferry was crossing to Oban when its engine failed.\n"
        "Passengers were taken off by lifeboat.\n",
        "places:\n  travel_verbs: [cross]\n")
    wrong = "The ferry was crossing to Mull when its engine failed."
    assert _check(base, wrong, "place")[0] == []  # "cross" is no travel verb of the rules
    messages, _ = _check(tuned, wrong, "place")
    assert len(messages) == 1 and "Mull" in messages[0] and "Oban" in messages[0]


# ------------------------------------------------------------------------------ speech
def test_speech_stance_verbs_make_a_verb_and_particle_a_statement(tmp_path: Path) -> None:
    base, tuned = _engines(
        tmp_path,
        "Board rejects ferry tax\n\n"
        "The Harbour Board brushed off calls for a new ferry tax from Mayor Ann Holt and "
        "councillor Raj Patel.\n\n"
        "\"There will be no ferry tax this year,\" Harbour Board spokesman Leo Marsh said "
        "Thursday.\n",
        # (quoted: YAML reads a bare off as false)
        "speech:\n  stance_verbs: {rule: [out], brush: ['off']}\n")
    wrong = ("The Harbour Board on Monday brushed off calls for a new ferry tax from Mayor Ann "
             "Holt and councillor Raj Patel.")
    right = wrong.replace("Monday", "Thursday")
    # bundled rules: "brushed off" reports no statement, its day is nobody's
    assert _check(base, wrong, "date") == ([], [])
    messages, _ = _check(tuned, wrong, "date")
    assert len(messages) == 1 and "Monday" in messages[0] and "Thursday" in messages[0]
    messages, agreed = _check(tuned, right, "date")
    assert messages == [] and [v["text"] for v in agreed] == ["Thursday"]
