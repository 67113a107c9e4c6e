"""Installed distributions' versions, read from their metadata folders' names (for cache keys).

``importlib.metadata`` costs 30–60 ms to import (email, zipfile, csv) before it reads a
version; the command line's answer for an unchanged draft needs three versions for its
index key and nothing else from it. A wheel's ``{name}-{version}.dist-info`` (and
setuptools' ``{name}-{version}[-pyX.Y].egg-info``) names the version, so the first
``sys.path`` entry holding the distribution answers, as ``importlib.metadata`` would. When
that entry holds more than one version, or a ``sys.path`` entry is not a folder (a zip or
an egg), ``importlib.metadata`` decides.
"""

from __future__ import annotations

import os
import re
import sys

_SUFFIXES = (".dist-info", ".egg-info")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _versions_in(folder: str, wanted: str) -> list[str] | None:
    """Versions of ``wanted`` this ``sys.path`` entry holds; None when it cannot tell."""
    try:
        names = os.listdir(folder or ".")
    except FileNotFoundError:
        return []
    except OSError:
        return None  # a zip, an egg, an unreadable folder
    found = []
    for entry in names:
        if not entry.endswith(_SUFFIXES):
            continue
        stem = entry.rsplit(".", 1)[0]
        name, _, rest = stem.partition("-")
        if rest and _normal(name) == wanted:
            found.append(rest.split("-", 1)[0])
    return found


def version(dist: str) -> str | None:
    """The installed version of ``dist``, None when it is not installed."""
    wanted = _normal(dist)
    for folder in sys.path:
        found = _versions_in(folder, wanted)
        if found is None or len(found) > 1:
            break  # let importlib.metadata read it
        if found:
            return found[0]
    else:
        return None
    import importlib.metadata as md

    try:
        return md.version(dist)
    except md.PackageNotFoundError:
        return None
