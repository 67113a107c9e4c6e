"""The attribute ruler matched by table (factlint.attribute_table) annotates exactly as spaCy's
``AttributeRuler`` with its ``Matcher`` does: on the model's own patterns over texts of many
domains, and on made-up patterns of every kind it compiles, over random documents."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factlint import attribute_table
from pipeline_texts import corpus_paragraphs, parsed_before

# what the model's patterns single out: contractions, "gonna", "y'all", expletive "there",
# pronouns by case, auxiliaries, "but" as an adverb, whitespace tokens
ODD_TEXTS = [
    "I'm gonna tell y'all: there's nothin' wrong, and we ain't leaving.",
    "Let's go. C'mon, you gotta see it. He gets it; she got it.",
    "It was I who gave it to you, and you gave it to me.",
    "There are two reasons, but he did not say them. Has she? Do they?",
    "  Indented  text\twith\n\nbreaks  and   spaces .  ",
    "He'd have done it if he could've. They're here; we've seen 'em.",
    "All but three were freed. But she said nothing, nothing at all.",
]


def _texts() -> list[str]:
    return list(ODD_TEXTS) + corpus_paragraphs(strip=False)


def _until_ruler(nlp, text: str):  # noqa: ANN001, ANN202
    return parsed_before(nlp, text, "attribute_ruler")


def _annotations(doc) -> list[tuple]:  # noqa: ANN001
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


def _stock(ruler, doc):  # noqa: ANN001, ANN202
    from spacy.pipeline import AttributeRuler

    AttributeRuler.set_annotations(ruler, doc, AttributeRuler.match(ruler, doc))
    return doc


def test_the_loaded_pipeline_matches_its_attribute_ruler_by_table(engine) -> None:
    ruler = engine.nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler.match.__self__, attribute_table.AttributeTable)


def test_the_model_patterns_annotate_as_spacy_does_on_texts_of_many_domains(engine) -> None:
    nlp = engine.nlp
    ruler = nlp.get_pipe("attribute_ruler")
    texts = _texts()
    assert len(texts) > 100
    changed = 0
    for text in texts:
        ours = _until_ruler(nlp, text)
        theirs = ours.copy()
        before = _annotations(ours)
        ruler(ours)
        _stock(ruler, theirs)
        assert _annotations(ours) == _annotations(theirs), text
        changed += _annotations(ours) != before
    assert changed == len([t for t in texts if t.strip()])  # the ruler did something each time


def test_contractions_get_the_model_exceptions(engine) -> None:
    doc = engine.nlp("I'm gonna go, y'all.")
    lemmas = {t.text: t.lemma_ for t in doc}
    assert lemmas["gon"] == "go" and lemmas["na"] == "to" and lemmas["y'"] == "you"


# ---- made-up patterns: every predicate, several tokens, negative index, precedence ----

WORDS = ["the", "cat", "sat", "on", "mat", "Cat", "nothin'", "not", "  ", "dog"]
TAGS = ["DT", "NN", "VBD", "IN", "_SP", "RB", "NNP"]
DEPS = ["det", "nsubj", "ROOT", "prep", "pobj", "dep", ""]

PATTERNS = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"LOWER": "cat", "TAG": "NN"}]], "attrs": {"LEMMA": "feline"}},
    {"patterns": [[{"LOWER": {"IN": ["the", "on"]}}]], "attrs": {"POS": "DET"}},
    {"patterns": [[{"TAG": {"NOT_IN": ["NN", ""]}, "DEP": {"IN": ["det", "prep"]}}]],
     "attrs": {"MORPH": "PronType=Art"}},
    {"patterns": [[{"LOWER": {"REGEX": "^n[ou]th"}}]], "attrs": {"LEMMA": "nothing"}},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "_SP", "POS": "SPACE"}},
    {"patterns": [[{"IS_SPACE": False, "DEP": {"NOT_IN": [""]}}]], "attrs": {"DEP": "dep"}},
    {"patterns": [[{"LOWER": "the"}, {"TAG": "NN"}]], "attrs": {"LEMMA": "thing"}, "index": 1},
    {"patterns": [[{"LOWER": "sat"}, {"LOWER": "on"}, {"lower": "the"}]],
     "attrs": {"POS": "VERB"}, "index": -3},
    {"patterns": [[{"TAG": "NN"}], [{"TAG": "NNP"}]], "attrs": {"POS": "PROPN"}},
    {"patterns": [[{"DEP": "pobj"}, {"TAG": "RB"}]], "attrs": {"MORPH": "Degree=Pos"},
     "index": -1},
]


@pytest.fixture(scope="module")
def made_up():  # noqa: ANN201
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(PATTERNS)
    return nlp, ruler, attribute_table.AttributeTable(ruler)


def _doc(nlp, rows: list[tuple[str, str, str]]):  # noqa: ANN001, ANN202
    from spacy.tokens import Doc

    words, tags, deps = zip(*rows, strict=True)
    # a dependency label needs a head: every token hangs from the first
    return Doc(nlp.vocab, words=list(words), tags=list(tags), deps=list(deps),
               heads=[0] * len(rows))


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(TAGS),
                               st.sampled_from(DEPS)), min_size=1, max_size=12))
def test_made_up_patterns_annotate_as_spacy_does(made_up, rows) -> None:  # noqa: ANN001
    nlp, ruler, table = made_up
    ours, theirs = _doc(nlp, rows), _doc(nlp, rows)
    assert table.match(ours) == _stock_matches(ruler, theirs)
    table.set_annotations(ours, table.match(ours))
    _stock(ruler, theirs)
    assert _annotations(ours) == _annotations(theirs)


def _stock_matches(ruler, doc) -> list:  # noqa: ANN001
    from spacy.pipeline import AttributeRuler

    return AttributeRuler.match(ruler, doc)


def test_a_later_pattern_wins_on_a_token_several_match(made_up) -> None:  # noqa: ANN001
    nlp, ruler, table = made_up
    doc = _doc(nlp, [("the", "DT", "det"), ("cat", "NN", "nsubj")])
    table.set_annotations(doc, table.match(doc))
    # "cat": NOUN (pattern 0), then PROPN (pattern 9); lemma "feline", then "thing" (7)
    assert (doc[1].pos_, doc[1].lemma_) == ("PROPN", "thing")


def test_patterns_added_later_are_compiled_before_the_next_doc(made_up) -> None:  # noqa: ANN001
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(PATTERNS[:1])
    table = attribute_table.AttributeTable(ruler)
    ruler.add_patterns([{"patterns": [[{"LOWER": "dog"}]], "attrs": {"LEMMA": "canine"}}])
    doc = _doc(nlp, [("dog", "NN", "")])
    table.set_annotations(doc, table.match(doc))
    assert (doc[0].pos_, doc[0].lemma_) == ("NOUN", "canine")


@pytest.mark.parametrize("pattern", [
    [{"LOWER": "a", "OP": "+"}],  # operators
    [{"ENT_TYPE": "PERSON"}],  # attributes it does not read
    [{"LENGTH": {">=": 3}}],  # comparisons
    [{"TAG": {"IN": "NN"}}],  # a malformed set
])
def test_a_ruler_it_cannot_compile_keeps_spacy_matcher(pattern) -> None:  # noqa: ANN001
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns([{"patterns": [pattern], "attrs": {"LEMMA": "x"}}] + PATTERNS[:2])
    stock_match = ruler.match
    assert attribute_table.install(nlp) is False
    assert ruler.match == stock_match


def test_extension_attributes_are_left_to_spacy() -> None:
    import spacy
    from spacy.tokens import Token

    if not Token.has_extension("factlint_test_flag"):
        Token.set_extension("factlint_test_flag", default=False)
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns([{"patterns": [[{"LOWER": "a"}]],
                         "attrs": {"_": {"factlint_test_flag": True}}}])
    assert attribute_table.install(nlp) is False


def _ruler(patterns: list[dict]):  # noqa: ANN202
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(patterns)
    return nlp, ruler


def _tagged(nlp, words: list[str], tags: list[str] | None = None):  # noqa: ANN001, ANN202
    from spacy.tokens import Doc

    return Doc(nlp.vocab, words=words, tags=tags)


def test_two_alternatives_matching_one_span_match_once() -> None:
    nlp, ruler = _ruler([
        {"patterns": [[{"TAG": "NN"}], [{"LOWER": "cat"}]], "attrs": {"POS": "NOUN"}},
        {"patterns": [[{"TAG": "DT"}, {"LOWER": "cat"}], [{"LOWER": "the"}, {"TAG": "NN"}]],
         "attrs": {"LEMMA": "x"}, "index": 1}])
    table = attribute_table.AttributeTable(ruler)
    doc = _tagged(nlp, ["the", "cat"], ["DT", "NN"])
    assert table.match(doc) == _stock_matches(ruler, doc)
    assert len(table.match(doc)) == 2


def test_a_ruler_cleared_and_given_as_many_new_patterns_is_compiled_again() -> None:
    nlp, ruler = _ruler([{"patterns": [[{"LOWER": "cat"}]], "attrs": {"LEMMA": "feline"}}])
    assert attribute_table.install(nlp)
    nlp(_tagged(nlp, ["cat"]))
    ruler.clear()
    ruler.add_patterns([{"patterns": [[{"LOWER": "cat"}]], "attrs": {"LEMMA": "kitty"}}])
    assert nlp(_tagged(nlp, ["cat"]))[0].lemma_ == "kitty"


def test_a_pattern_it_cannot_compile_added_later_hands_the_ruler_back_to_spacy() -> None:
    nlp, ruler = _ruler([{"patterns": [[{"LOWER": "cat"}]], "attrs": {"LEMMA": "feline"}}])
    assert attribute_table.install(nlp)
    ruler.add_patterns([{"patterns": [[{"LOWER": "a", "OP": "+"}]], "attrs": {"LEMMA": "A"}},
                        {"patterns": [[{"LOWER": "dog"}]], "attrs": {"LEMMA": "canine"}}])
    for _ in range(2):
        assert [t.lemma_ for t in nlp(_tagged(nlp, ["a", "cat", "dog"]))] == [
            "A", "feline", "canine"]
    assert "match" not in ruler.__dict__  # spaCy's own methods again


def test_attributes_set_on_the_lexeme_are_left_to_spacy() -> None:
    # spaCy writes IS_STOP onto the word's lexeme, shared by its every token: the order of
    # two such writes on two tokens of one word decides what is left
    nlp, _ = _ruler([
        {"patterns": [[{"LOWER": "bank", "TAG": "NN"}]], "attrs": {"IS_STOP": True}},
        {"patterns": [[{"LOWER": "bank", "TAG": "VB"}]], "attrs": {"IS_STOP": False}}])
    assert attribute_table.install(nlp) is False


def test_matches_filtered_by_a_caller_are_applied_by_spacy(made_up) -> None:  # noqa: ANN001
    nlp, ruler, table = made_up
    rows = [("the", "DT", "det"), ("cat", "NN", "nsubj"), ("sat", "VBD", "ROOT")]
    ours, theirs = _doc(nlp, rows), _doc(nlp, rows)
    table.set_annotations(ours, [m for m in table.match(ours) if m[0] != 0])
    _stock_subset = [m for m in _stock_matches(ruler, theirs) if m[0] != 0]
    from spacy.pipeline import AttributeRuler

    AttributeRuler.set_annotations(ruler, theirs, _stock_subset)
    assert _annotations(ours) == _annotations(theirs)


def test_a_ruler_matched_by_table_still_pickles() -> None:
    import pickle

    nlp, ruler = _ruler(PATTERNS)
    assert attribute_table.install(nlp)
    again = pickle.loads(pickle.dumps(ruler.match.__self__))
    doc = _tagged(nlp, ["the", "cat"], ["DT", "NN"])
    assert again.match(doc) == _stock_matches(ruler, doc)
