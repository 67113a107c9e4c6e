"""Keep spaCy's command line out of factlint's start-up.

``import spacy`` runs ``from .cli.info import info``, which imports spaCy's whole CLI (typer,
weasel, httpx, jinja2: ≈ 0.1 s) that factlint never uses. Before spaCy is first imported,
``spacy.cli`` and ``spacy.cli.info`` are put in place as lazy stand-ins: any attribute asked
of them imports the real modules then, and submodules (``spacy.cli.download``) import from the
real package folder as usual.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from pathlib import Path
from typing import Any

_NAMES = ("spacy.cli", "spacy.cli.info")


class _Lazy(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(_real(self.__name__), name)


def _real(name: str) -> Any:
    """Swap the stand-ins for the real modules (once) and return the one asked for."""
    if all(not isinstance(sys.modules.get(n), _Lazy) for n in _NAMES):
        return sys.modules[name]
    for n in reversed(_NAMES):
        sys.modules.pop(n, None)
    real = importlib.import_module("spacy.cli")
    spacy = sys.modules.get("spacy")
    if spacy is not None:
        spacy.cli = real  # type: ignore[attr-defined]
    return sys.modules[name]


def install() -> None:
    """Put the stand-ins in place, unless spaCy (or its CLI) is already imported."""
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        return
    try:
        spec = importlib.util.find_spec("spacy")
    except (ImportError, ValueError):
        return
    if spec is None or not spec.submodule_search_locations:
        return
    cli = _Lazy("spacy.cli")
    cli.__path__ = [str(Path(next(iter(spec.submodule_search_locations))) / "cli")]
    info = _Lazy("spacy.cli.info")

    def lazy_info(*args: Any, **kwargs: Any) -> Any:
        return _real("spacy.cli.info").info(*args, **kwargs)

    info.info = lazy_info  # what ``import spacy`` binds as ``spacy.info``
    cli.info = info
    sys.modules["spacy.cli"] = cli
    sys.modules["spacy.cli.info"] = info
    sys.meta_path.insert(0, _BindCli())


class _BindCli:
    """Once spaCy itself is imported, make ``spacy.cli`` its attribute as a normal import
    of the submodule would (``import spacy.cli; spacy.cli.download``)."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != "spacy":
            return None
        sys.meta_path.remove(self)
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        run = loader.exec_module

        def exec_module(module: types.ModuleType) -> None:
            module.cli = sys.modules.get("spacy.cli")  # type: ignore[attr-defined]
            run(module)
            if getattr(module, "cli", None) is None and "spacy.cli" in sys.modules:
                module.cli = sys.modules["spacy.cli"]  # type: ignore[attr-defined]

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec
