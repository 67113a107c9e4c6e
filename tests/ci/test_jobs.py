"""--jobs N: the same output as a serial run, in the same order."""

from __future__ import annotations

from pathlib import Path

from ci_helpers import CONSISTENT, CRIMEA, KALLAS, write

from factlint.config import effective_jobs


def test_jobs_2_equals_serial(run, work: Path) -> None:
    write(work / "drafts" / "a.md", f"{KALLAS}\n\n{CONSISTENT}\n")
    write(work / "drafts" / "b.md", f"# B\n\n{CRIMEA}\n")
    write(work / "drafts" / "c.txt", f"{CONSISTENT}\n")
    write(work / "drafts" / "d.md", f"{CRIMEA}\n\n{KALLAS}\n")
    serial = run("check", "drafts", "--format", "json")
    parallel = run("check", "drafts", "--format", "json", "--jobs", "2")
    assert serial[0] == parallel[0] == 1
    assert parallel[1] == serial[1]
    assert serial[1].count('"code"') == 4
    assert serial[1].index("drafts/a.md") < serial[1].index("drafts/b.md") < serial[1].index(
        "drafts/c.txt") < serial[1].index("drafts/d.md")


def test_effective_jobs() -> None:
    assert effective_jobs(4, 2) == 2
    assert effective_jobs(2, 10) == 2
    assert effective_jobs(1, 0) == 1
    assert effective_jobs(0, 1000) >= 1


def test_negative_jobs_is_a_usage_error(run, work: Path) -> None:
    write(work / "a.md", f"{CRIMEA}\n")
    code, _, err = run("check", "a.md", "--jobs", "-1")
    assert code == 2 and "--jobs" in err
