"""factlint's code digest (part of every index key and cached result) is remembered by the
modules' stats, and still changes whenever a module does."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from factlint.index.freshness import code_digest, package_digest


def _full(here: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(here.rglob("*.py")):
        h.update(str(path.relative_to(here)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _package(tmp_path: Path) -> Path:
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "a.py").write_text("A = 1\n")
    (pkg / "sub" / "b.py").write_text("B = 2\n")
    return pkg


def test_the_digest_is_the_modules_hash_and_is_remembered(tmp_path: Path) -> None:
    pkg, memo = _package(tmp_path), tmp_path / "cache" / "code-digest"
    assert package_digest(pkg, memo) == _full(pkg)
    signature, digest = memo.read_text().split()
    assert digest == _full(pkg)
    memo.write_text(f"{signature} remembered\n")  # read back, not hashed again
    assert package_digest(pkg, memo) == "remembered"


def test_a_changed_added_or_touched_module_is_hashed_again(tmp_path: Path) -> None:
    pkg, memo = _package(tmp_path), tmp_path / "code-digest"
    first = package_digest(pkg, memo)
    (pkg / "a.py").write_text("A = 3\n")  # same size, new content and mtime
    st = (pkg / "a.py").stat()
    os.utime(pkg / "a.py", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    second = package_digest(pkg, memo)
    assert second == _full(pkg) != first
    (pkg / "sub" / "c.py").write_text("C = 4\n")
    assert package_digest(pkg, memo) == _full(pkg) != second


def test_an_unwritable_or_garbled_memo_only_costs_the_hashing(tmp_path: Path) -> None:
    pkg = _package(tmp_path)
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert package_digest(pkg, blocked / "code-digest") == _full(pkg)
    memo = tmp_path / "memo"
    memo.write_bytes(b"\xff\xfe garbage")
    assert package_digest(pkg, memo) == _full(pkg)


def test_factlint_code_digest_is_its_modules_hash() -> None:
    import factlint

    assert code_digest() == _full(Path(factlint.__file__).resolve().parent)
