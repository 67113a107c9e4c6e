"""How factlint grows with the corpus: index build, index size, server start, one-page check,
server memory, at several corpus sizes, all in one run.

    .venv/bin/python bench/growth.py [--sizes 100 500 2000] [--jobs 2] [--starts 3] [--out F]

For each N: makes a synthetic corpus (``bench/make_corpus.py``, seed 0) in a temporary folder,
then measures

- ``build``: ``factlint index --corpus DIR --jobs J`` into an empty cache (seconds, wall), and
  the index file's size and fact count;
- ``start``: a fresh ``factlint serve`` (stdio, warm index) from spawn to the first
  ``publishDiagnostics`` of a one-page draft (median of ``--starts``), and the server's peak
  RSS (``VmHWM``) after it has also checked a 10-page draft;
- ``cli``: ``factlint check page.md --corpus DIR`` (a new process, model load included, result
  cache cold), median of three different pages;
- ``engine``: ``bench/page_check.py``: ``Engine.check_text`` of new one-page drafts in one
  process, index warm and parses cached (extraction, fact lookups, comparison), median of 10,
  and the corpus facts fetched per page.

Prints a table and writes JSON (``--out``). The machine is shared and noisy: compare the
columns across N (growth), not the absolute numbers with another run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_corpus import make_corpus, make_drafts  # noqa: E402

PY = sys.executable


def factlint(*args: str, env: dict[str, str], stdin: str | None = None) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run([PY, "-m", "factlint", *args], env=env, input=stdin, text=True,
                          capture_output=True)
    took = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"factlint {' '.join(args)} failed:\n{proc.stderr}")
    return took, proc.stdout


class Lsp:
    """A minimal LSP client over stdio (JSON-RPC with Content-Length framing)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen([PY, "-m", "factlint", "serve"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        self.next_id = 0

    def send(self, method: str, params: Any, request: bool = False) -> int | None:
        msg: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        rid = None
        if request:
            self.next_id += 1
            rid = msg["id"] = self.next_id
        body = json.dumps(msg).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()
        return rid

    def read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        length = 0
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("server closed its output")
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.proc.stdout.read(length))

    def wait_for(self, pred: Any, timeout: float = 600) -> dict[str, Any]:
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            msg = self.read()
            if msg.get("method") in ("workspace/configuration",) and "id" in msg:
                self.reply(msg["id"], [None])
                continue
            if "id" in msg and "method" in msg:  # other server requests: accept
                self.reply(msg["id"], None)
                continue
            if pred(msg):
                return msg
        raise TimeoutError

    def reply(self, rid: Any, result: Any) -> None:
        body = json.dumps({"jsonrpc": "2.0", "id": rid, "result": result}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        try:
            rid = self.send("shutdown", None, request=True)
            self.wait_for(lambda m: m.get("id") == rid, timeout=20)
            self.send("exit", None)
            self.proc.wait(timeout=10)
        except Exception:  # noqa: BLE001 - a benchmark: make sure the process goes
            self.proc.kill()
            self.proc.wait()


def open_and_wait(lsp: Lsp, root: Path, name: str, text: str) -> None:
    uri = (root / name).as_uri()
    lsp.send("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "markdown", "version": 1, "text": text}})
    lsp.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                 and m["params"]["uri"] == uri)


def server_start(env: dict[str, str], root: Path, corpus: Path, page: str,
                 big: str | None = None) -> tuple[float, float]:
    t0 = time.perf_counter()
    lsp = Lsp(env)
    try:
        rid = lsp.send("initialize", {
            "processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": {},
            "initializationOptions": {"debounceMs": 0, "corpus": [str(corpus)]}}, request=True)
        lsp.wait_for(lambda m: m.get("id") == rid)
        lsp.send("initialized", {})
        open_and_wait(lsp, root, "page.md", page)
        took = time.perf_counter() - t0
        if big is not None:
            open_and_wait(lsp, root, "long.md", big)
        rss = lsp.peak_rss_mb()
    finally:
        lsp.close()
    return took, rss


def measure(n: int, jobs: int, starts: int, work: Path) -> dict[str, Any]:
    corpus = work / f"corpus-{n}"
    make_corpus(n, corpus, seed=0)
    cache = work / f"cache-{n}"
    env = dict(os.environ, FACTLINT_CACHE_DIR=str(cache))
    build, out = factlint("index", "--corpus", str(corpus), "--jobs", str(jobs), env=env)
    facts = int(out.split(" articles, ")[1].split(" facts")[0])
    (db,) = cache.glob("index-*.sqlite")
    size_mb = db.stat().st_size / 1e6
    pages = make_drafts(3, 450, seed=n, corpus_seed=0)
    big = make_drafts(1, 4500, seed=n + 1, corpus_seed=0)[0]
    root = work / f"root-{n}"
    root.mkdir(exist_ok=True)
    runs = [server_start(env, root, corpus, pages[0], big if i == 0 else None)
            for i in range(starts)]
    start = statistics.median(r[0] for r in runs)
    rss = runs[0][1]
    cli = []
    for page in pages:
        (root / "page.md").write_text(page, encoding="utf-8")
        shutil.rmtree(cache / "results.sqlite", ignore_errors=True)
        (cache / "results.sqlite").unlink(missing_ok=True)
        took, _ = factlint("check", str(root / "page.md"), "--corpus", str(corpus),
                           "--no-config", env=env)
        cli.append(took)
    proc = subprocess.run([PY, str(HERE / "page_check.py"), "--corpus", str(corpus)], env=env,
                          text=True, capture_output=True, check=True)
    engine = json.loads(proc.stdout)
    fetched = engine["fetched_per_page"]
    return {"n": n, "facts": facts, "build_s": build, "index_mb": size_mb, "start_s": start,
            "server_peak_rss_mb": rss, "cli_check_s": statistics.median(cli),
            "engine_page_ms": engine["median_ms"], "fetched": fetched, "load": os.getloadavg()[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 2000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--work", type=Path, default=None,
                        help="keep corpora and caches here (default: a temporary folder)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for n in args.sizes:
            row = measure(n, args.jobs, args.starts, work)
            rows.append(row)
            print(json.dumps(row), flush=True)
    print(f"\n| N | facts | build (s, --jobs {args.jobs}) | index MB | server start -> first "
          "diagnostics (s) | server peak RSS (MB) | CLI one-page check (s) | engine one-page "
          "check (ms) | load avg |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['n']} | {r['facts']} | {r['build_s']:.1f} | {r['index_mb']:.1f} | "
              f"{r['start_s']:.2f} | {r['server_peak_rss_mb']:.0f} | {r['cli_check_s']:.2f} | "
              f"{r['engine_page_ms']:.1f} | {r['load']:.1f} |")
    if args.out:
        args.out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
