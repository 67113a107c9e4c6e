"""``similar_names`` (one rapidfuzz call for a bucket of surnames) says what
``similar_name`` says of each, pair by pair."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from factlint.names import similar_name, similar_names

SURNAMES = ["Zelensky", "Zelenskyy", "Zelenskiy", "Zelen", "Núñez", "Nunez", "Nuñes",
            "Okonkwo", "Okonkow", "Okafor", "Kowalski", "Kovalski", "Kowalska", "Kow",
            "O'Brien", "O’Brien", "Obrien", "Müller", "Muller", "Mueller", "Zhang", "Zhan"]

# names built from a few letters (so that many share their first three and lengths vary)
_NAMES = st.text(alphabet="abcnñoúkz’'-", min_size=1, max_size=11)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SURNAMES) | _NAMES, st.lists(st.sampled_from(SURNAMES) | _NAMES,
                                                    max_size=25),
       st.sampled_from([80.0, 88.0, 95.0]))
def test_batch_equals_pair_by_pair(word: str, others: list[str], threshold: float) -> None:
    expected = [i for i, o in enumerate(others) if similar_name(word, o, threshold)]
    assert similar_names(word, others, threshold) == expected


def test_spelling_variants_of_a_surname() -> None:
    found = [SURNAMES[i] for i in similar_names("zelensky", SURNAMES)]
    assert "Zelenskyy" in found and "Zelenskiy" in found and "Zelen" not in found
    assert [SURNAMES[i] for i in similar_names("nunez", SURNAMES)][:2] == ["Núñez", "Nunez"]
    assert similar_names("zhang", []) == []
