"""The command line's cold path against a bare spaCy load-and-parse, in one run.

    .venv/bin/python bench/cli_cold.py [--runs 7] [--draft FILE]

Each run, alternating, as new processes: ``bare`` (``import spacy``, ``spacy.load`` of the
same model, ``nlp(page)``), ``new`` (``factlint check`` of the page with one word changed:
nothing cached for it), ``unchanged`` (``factlint check`` of the same page again: the result
cache answers). The corpus is the bundled seeds, indexed before the first run. factlint's
modules are compiled to bytecode first, as ``pip install`` does (bench/bytecode.py). Prints the
median seconds, the ratios new ÷ bare (target <= 1.0) and unchanged (target <= 0.1 s), and
the machine's load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bytecode import compile_factlint

ROOT = Path(__file__).resolve().parents[1]
BARE = """
import sys, spacy
from factlint.nlp import DEFAULT_MODELS, installed_models
name = next(m for m in DEFAULT_MODELS if m in installed_models())
nlp = spacy.load(name)
nlp(open(sys.argv[1], encoding="utf-8").read())
"""


def _time(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--draft", type=Path,
                        default=ROOT / "tests" / "engine" / "articles" / "kremlin_and_losses.md")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="factlint-cold-"))
    env = {**os.environ, "FACTLINT_CACHE_DIR": str(work / "cache")}
    python, factlint = sys.executable, str(ROOT / ".venv" / "bin" / "factlint")
    page = work / "page.md"
    text = args.draft.read_text(encoding="utf-8")
    page.write_text(text, encoding="utf-8")
    compile_factlint(env)
    subprocess.run([factlint, "index", "--no-config"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    check = [factlint, "check", "--no-config", str(page)]
    times: dict[str, list[float]] = {"bare": [], "new": [], "unchanged": []}
    load = os.getloadavg()[0]
    for n in range(args.runs):
        times["bare"].append(_time([python, "-c", BARE, str(page)], env))
        page.write_text(f"{text}\nRevision {n} of the page.\n", encoding="utf-8")
        times["new"].append(_time(check, env))
        times["unchanged"].append(_time(check, env))
    med = {k: statistics.median(v) for k, v in times.items()}
    for k, v in med.items():
        print(f"{k:10} median {v * 1000:7.0f} ms   (min {min(times[k]) * 1000:.0f}, "
              f"max {max(times[k]) * 1000:.0f})")
    print(f"new / bare = {med['new'] / med['bare']:.2f}  (target <= 1.0);  unchanged = "
          f"{med['unchanged'] * 1000:.0f} ms (target <= 100)")
    print(f"load average {load:.2f} -> {os.getloadavg()[0]:.2f}, {os.cpu_count()} CPUs, "
          f"{len(text.split())}-word page, {args.runs} runs")


if __name__ == "__main__":
    main()
