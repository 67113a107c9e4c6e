"""Edit -> publishDiagnostics latency of ``factlint serve``, next to spaCy's own time.

    .venv/bin/python bench/lsp_latency.py [--edits 40] [--words 10000] [--starts 3]

1. Generates a ~10,000-word Markdown draft from the bundled seeds' sentences (shuffled,
   with names, years and numbers varied so it is not a copy of the corpus).
2. Starts the server over stdio (``python -m factlint serve``, ``debounceMs`` 0), opens
   the draft, waits for its first diagnostics (warm-up), then makes N single-paragraph
   edits one after another, each an incremental ``didChange`` of one paragraph, and times
   didChange -> the ``publishDiagnostics`` carrying that document version.
3. In this process, loads the model as spaCy does (``--reference stock``: the issue's
   "spaCy's time"; ``factlint``: ``factlint.nlp.load_pipeline``, whose attribute ruler is
   matched by table, ~10% less per paragraph, same annotations) and times
   ``nlp(paragraph)`` for every edited paragraph text (median of 5 runs each, and the
   first), right after that edit's diagnostics came (``--rerun after``: all of them once
   the edits are done, as before). This machine's speed drifts by 10-20% within a minute;
   timed at the end, a slow phase during the edits or during the re-runs moved the ratio
   by as much.
4. Times a fresh server process from spawn to the first diagnostics of a one-page draft
   with a warm corpus cache (``--starts`` runs). factlint's modules are compiled to
   bytecode first, as ``pip install`` does (bench/bytecode.py).

Prints p50/p95 edit latency, the median spaCy paragraph time, the target per edit
(latency <= 1.3 x spaCy's time for the paragraph it edited + 5 ms, at the 95th percentile;
also the stricter p95 against the median paragraph) and the start-up times (an unchanged
page <= 1.0 s, a new one <= 1.5 s). Exit code 0 always: this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bytecode import compile_factlint
from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path
from pytest_lsp import client_capabilities

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
CORPUS: list[str] = []  # --corpus (empty: the bundled seeds)
NAMES = ["Zelensky", "Putin", "Kallas", "Trump", "Erdogan", "Macron", "Scholz", "Rubio"]


def seed_sentences() -> list[str]:
    out: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for para in re.split(r"\n\s*\n", text):
            para = " ".join(para.split())
            for sent in re.split(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])", para):
                if len(sent.split()) >= 6:
                    out.append(sent)
    return out


def vary(sentence: str, rng: random.Random) -> str:
    """A plausible variation: another year, number or name now and then."""
    s = sentence
    if rng.random() < 0.3:
        s = re.sub(r"\b(19|20)\d\d\b", lambda m: str(int(m.group(0)) + rng.choice([-1, 1])), s,
                   count=1)
    if rng.random() < 0.3:
        s = re.sub(r"\b\d{2,}\b", lambda m: str(int(m.group(0)) + rng.randint(1, 9)), s, count=1)
    if rng.random() < 0.2:
        name = rng.choice(NAMES)
        s = re.sub(r"\b(Zelensky|Putin|Trump|Kallas)\b", name, s, count=1)
    return s


def make_draft(words: int, seed: int = 7) -> list[str]:
    """Paragraphs (3-5 sentences each) totalling at least ``words`` words."""
    rng = random.Random(seed)
    pool = seed_sentences()
    paragraphs: list[str] = []
    total = 0
    while total < words:
        n = rng.randint(3, 5)
        para = " ".join(vary(rng.choice(pool), rng) for _ in range(n))
        paragraphs.append(para)
        total += len(para.split())
    return paragraphs


def render(paragraphs: list[str]) -> str:
    return "# Generated draft\n\n" + "\n\n".join(paragraphs) + "\n"


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def paragraph_line(paragraphs: list[str], index: int) -> int:
    return 2 + 2 * index  # "# title", blank, then paragraph / blank pairs


def edit_paragraph(text: str, rng: random.Random) -> str:
    """One small edit: change a year or a number, else a word."""
    years = list(re.finditer(r"\b(19|20)\d\d\b", text))
    if years and rng.random() < 0.5:
        m = rng.choice(years)
        return text[:m.start()] + str(int(m.group(0)) + rng.choice([-1, 1])) + text[m.end():]
    words = list(re.finditer(r"\b[a-z]{5,}\b", text))
    if words:
        m = rng.choice(words)
        return text[:m.start()] + m.group(0)[::-1] + text[m.end():]
    return text + " Indeed."


ENGINE_LOG = re.compile(r"engine checked (?P<path>\S+) v(?P<version>\d+) in (?P<ms>[\d.]+) ms"
                        r"(?: \(spaCy (?P<spacy>[\d.]+) ms\))?")


class Recorder:
    def __init__(self) -> None:
        self.events: dict[tuple[str, int | None], float] = {}
        # when each publication's JSON had arrived, before the pygls client built its objects
        self.arrived: dict[tuple[str, int | None], float] = {}
        self.waiters: dict[tuple[str, int | None], asyncio.Future[float]] = {}
        self.engine_ms: dict[tuple[str, int], float] = {}  # (file name, version) -> ms
        self.spacy_ms: dict[tuple[str, int], float] = {}  # spaCy's part of that check
        self.stderr: list[str] = []
        self.reader: asyncio.Future[None] | None = None

    def published(self, params: types.PublishDiagnosticsParams) -> None:
        key = (params.uri, params.version)
        now = time.perf_counter()
        self.events.setdefault(key, now)
        fut = self.waiters.pop(key, None)
        if fut is not None and not fut.done():
            fut.set_result(now)

    async def read_stderr(self, stream: asyncio.StreamReader) -> None:
        """The server's debug log says how long the engine itself took for each version."""
        while line := await stream.readline():
            text = line.decode("utf-8", "replace").rstrip()
            m = ENGINE_LOG.search(text)
            if m:
                key = (Path(m["path"]).name, int(m["version"]))
                self.engine_ms[key] = float(m["ms"])
                if m["spacy"] is not None:
                    self.spacy_ms[key] = float(m["spacy"])
            elif text and " DEBUG " not in text:
                self.stderr.append(text)

    async def wait(self, uri: str, version: int, timeout: float = 120) -> float:
        key = (uri, version)
        if key in self.events:
            return self.events[key]
        fut: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiters[key] = fut
        return await asyncio.wait_for(fut, timeout)


def server_env(cache_dir: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env["FACTLINT_LOG_LEVEL"] = "DEBUG"  # per-check engine timings on stderr
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO / "server"), env.get("PYTHONPATH", "")) if p)
    if cache_dir:
        env["FACTLINT_CACHE_DIR"] = cache_dir
    env["BENCH_CORPUS"] = json.dumps(CORPUS)
    return env


async def start(recorder: Recorder, env: dict[str, str], root: Path) -> LanguageClient:
    client = LanguageClient("factlint-bench", "1")

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish(params: types.PublishDiagnosticsParams) -> None:
        recorder.published(params)

    @client.feature("factlint/status")
    def status(params: Any) -> None:
        return None

    @client.feature(types.WINDOW_WORK_DONE_PROGRESS_CREATE)
    def progress_create(params: types.WorkDoneProgressCreateParams) -> None:
        return None

    @client.feature(types.PROGRESS)
    def progress(params: Any) -> None:
        return None

    @client.feature(types.WINDOW_LOG_MESSAGE)
    def log_message(params: types.LogMessageParams) -> None:
        if params.type in (types.MessageType.Error, types.MessageType.Warning):
            recorder.stderr.append(f"server: {params.message}")

    @client.feature(types.WINDOW_SHOW_MESSAGE)
    def show_message(params: types.ShowMessageParams) -> None:
        recorder.stderr.append(f"server: {params.message}")

    structure = client.protocol.structure_message

    def arrived(data: Any) -> Any:
        if isinstance(data, dict) and data.get("method") == "textDocument/publishDiagnostics":
            params = data.get("params") or {}
            recorder.arrived.setdefault((params.get("uri"), params.get("version")),
                                        time.perf_counter())
        return structure(data)

    client.protocol.structure_message = arrived  # type: ignore[method-assign]
    await client.start_io(sys.executable, "-m", "factlint", "serve", env=env)
    assert client._server is not None and client._server.stderr is not None
    recorder.reader = asyncio.ensure_future(recorder.read_stderr(client._server.stderr))
    await client.initialize_async(types.InitializeParams(
        capabilities=client_capabilities("neovim@v0.7.0"),
        process_id=os.getpid(),
        root_uri=from_fs_path(str(root)),
        initialization_options={"debounceMs": 0, **({"corpus": CORPUS} if CORPUS else {})}))
    client.initialized(types.InitializedParams())
    return client


async def stop(client: LanguageClient) -> None:
    try:
        await asyncio.wait_for(client.shutdown_async(None), 20)
        client.exit(None)
    finally:
        await client.stop()


def open_doc(client: LanguageClient, uri: str, text: str) -> None:
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=1,
                                             text=text)))


def send_edit(client: LanguageClient, uri: str, version: int, line: int, old: str,
              new: str) -> None:
    """An incremental didChange replacing one paragraph line."""
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=line, character=0),
                              end=types.Position(line=line, character=utf16_len(old))),
            text=new)]))


Timings = tuple[list[float], list[float], list[float], list[float], list[str], float, int]


async def measure_edits(env: dict[str, str], root: Path, paragraphs: list[str],
                        edits: int, rerun: SpacyTimer | None = None
                        ) -> tuple[Timings, list[tuple[float, float]]]:
    recorder = Recorder()
    client = await start(recorder, env, root)
    uri = from_fs_path(str(root / "long.md")) or ""
    text = render(paragraphs)
    t0 = time.perf_counter()
    open_doc(client, uri, text)
    first = await recorder.wait(uri, 1, timeout=600)
    full_check = first - t0
    rng = random.Random(11)
    # the first edit waits for what opening left to do (after a result-cache answer the
    # server parses the draft's paragraphs in the background): timed, but apart
    index = rng.randrange(len(paragraphs))
    old, paragraphs[index] = paragraphs[index], edit_paragraph(paragraphs[index], rng)
    sent = time.perf_counter()
    send_edit(client, uri, 2, paragraph_line(paragraphs, index), old, paragraphs[index])
    settle = await recorder.wait(uri, 2) - sent
    print(f"first edit after opening (not counted below): {settle * 1000:.0f} ms")
    await asyncio.sleep(5)  # the background parse it may have started (a writer reading)
    # This process's own garbage collections are no part of the server's latency: one full
    # collection of its heap took 43 ms, just as a publication arrived.
    gc.collect()
    gc.disable()
    latencies: list[float] = []
    received: list[float] = []
    edited: list[str] = []
    engine: list[float] = []
    in_check: list[float] = []  # spaCy's own time inside each of those checks
    reruns: list[tuple[float, float]] = []  # this process's spaCy time for each paragraph
    version = 2
    for _ in range(edits):
        index = rng.randrange(len(paragraphs))
        old = paragraphs[index]
        new = edit_paragraph(old, rng)
        paragraphs[index] = new
        line = paragraph_line(paragraphs, index)
        version += 1
        sent = time.perf_counter()
        send_edit(client, uri, version, line, old, new)
        got = await recorder.wait(uri, version)
        latencies.append(got - sent)
        received.append(recorder.arrived.get((uri, version), got) - sent)
        edited.append(new)
        # the server logs the engine's time just before it publishes; give the pipe a moment
        for _ in range(100):
            if ("long.md", version) in recorder.engine_ms:
                break
            await asyncio.sleep(0.01)
        engine.append(recorder.engine_ms.get(("long.md", version), float("nan")) / 1000)
        in_check.append(recorder.spacy_ms.get(("long.md", version), float("nan")) / 1000)
        if rerun is not None:  # at once, while the machine runs at this edit's speed
            reruns.append(rerun(new))
    gc.enable()
    count = len([k for k in recorder.events if k[0] == uri])
    await stop(client)
    for line in recorder.stderr[-5:]:
        print("  server:", line)
    return (latencies, received, engine, in_check, edited, full_check, count), reruns


ENGINE_REPLAY = r"""
import json, sys, time
t0 = time.perf_counter()
import factlint.lsp  # what the server imports before it can answer 'initialize'
t1 = time.perf_counter()
from factlint.config import EngineConfig
from factlint.engine import Engine
engine = Engine(EngineConfig(corpus=[__import__("pathlib").Path(p) for p in
                                     json.loads(__import__("os").environ["BENCH_CORPUS"])]))
t2 = time.perf_counter()
engine.nlp
t3 = time.perf_counter()
engine.load_corpus()
t4 = time.perf_counter()
engine.check_text(sys.stdin.read(), "page.md", markdown=True)
t5 = time.perf_counter()
print(json.dumps({"import_server": t1 - t0, "rules": t2 - t1, "model": t3 - t2,
                  "corpus": t4 - t3, "page_check": t5 - t4}))
"""


def startup_phases(env: dict[str, str], page: str) -> dict[str, Any]:
    """Where start-up time goes: the same steps as the server, in one plain process."""
    proc = subprocess.run([sys.executable, "-c", ENGINE_REPLAY], env=env, text=True,
                          input=page, capture_output=True, check=True)
    return json.loads(proc.stdout)


class SpacyTimer:
    """spaCy's time for a text in this process: the median of 5 parses, and its first parse
    (a text the process has not parsed yet, as an edit's paragraph is; the pipeline warmed
    up on others). ``reference``: ``stock``, the model as spaCy loads it (the issue's
    "spaCy's time"), or ``factlint``, the pipeline as factlint loads it (its attribute ruler
    matched by table, the glued-words infix)."""

    def __init__(self, reference: str = "stock") -> None:
        import importlib

        from factlint.nlp import DEFAULT_MODELS, installed_models, load_pipeline

        if reference == "stock":
            name = next(n for n in DEFAULT_MODELS if n in installed_models())
            self.nlp = importlib.import_module(name).load()
        else:
            self.nlp = load_pipeline(None)
        for t in make_draft(300, seed=99):
            self.nlp(t)  # warm-up, on texts of another draft

    def __call__(self, text: str) -> tuple[float, float]:
        runs = []
        for _ in range(6):
            s = time.perf_counter()
            self.nlp(text)
            runs.append(time.perf_counter() - s)
        return statistics.median(runs[1:]), runs[0]


async def measure_start(env: dict[str, str], root: Path, page: str) -> float:
    recorder = Recorder()
    uri = from_fs_path(str(root / "page.md")) or ""
    t0 = time.perf_counter()
    client = await start(recorder, env, root)
    open_doc(client, uri, page)
    got = await recorder.wait(uri, 1, timeout=300)
    await stop(client)
    return got - t0


def within_budget(latencies: list[float], budgets: list[float]) -> str:
    """How many edits met their budget, and the 95th percentile of latency / budget."""
    within = sum(m <= b for m, b in zip(latencies, budgets, strict=True))
    ratio = pct([m / b for m, b in zip(latencies, budgets, strict=True)], 0.95)
    return f"{within}/{len(latencies)} edits; p95 of latency / budget {ratio:.2f}"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


async def main_async(args: argparse.Namespace) -> None:
    cache = args.cache_dir or os.environ.get("FACTLINT_CACHE_DIR")
    env = server_env(cache)
    compile_factlint(env)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paragraphs = make_draft(args.words)
        words = sum(len(p.split()) for p in paragraphs)
        print(f"draft: {words} words, {len(paragraphs)} paragraphs; {args.edits} edits")

        # Warm the corpus cache first so every measurement below starts warm.
        warm = await measure_start(env, root, render(paragraphs[:2]))
        print(f"cache warm-up start: {warm * 1000:.0f} ms")

        page = render(paragraphs[:6])
        timer = SpacyTimer(args.reference)
        timings, reruns = await measure_edits(env, root, list(paragraphs), args.edits,
                                              timer if args.rerun == "interleaved" else None)
        latencies, received, engine, in_check, edited, full, publications = timings
        if args.rerun == "after":
            reruns = [timer(t) for t in edited]
        spacy, spacy_first = [m for m, _ in reruns], [f for _, f in reruns]
        replay = startup_phases(env, page)
        starts = [await measure_start(env, root, page) for _ in range(args.starts)]
        # a draft no session has seen: nothing in the result cache, the engine must load
        # (a seed of this run's own: the result cache keeps what earlier runs checked)
        fresh = [await measure_start(env, root, render(make_draft(
            300, seed=random.randrange(1, 10**9)))) for n in range(args.starts)]

    ms = [x * 1000 for x in latencies]
    spacy_ms = statistics.median(spacy) * 1000
    target = 1.3 * spacy_ms + 5
    p50, p95 = pct(ms, 0.5), pct(ms, 0.95)
    print(f"first full check of the draft: {full * 1000:.0f} ms")
    print(f"edit -> publishDiagnostics: p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
          f"max {max(ms):.1f} ms ({len(ms)} edits, {publications} publications)")
    print(f"spaCy nlp(paragraph), {args.reference} pipeline, timed {args.rerun}: median "
          f"{spacy_ms:.1f} ms "
          f"(p95 {pct([x * 1000 for x in spacy], 0.95):.1f} ms)")
    print(f"p95 <= 1.3 x median spaCy + 5 ms = {target:.1f} ms: "
          f"{'met' if p95 <= target else 'NOT met'}")
    # the target is per edit: each edit against spaCy's time for the paragraph it edited
    budgets = [1.3 * s * 1000 + 5 for s in spacy]
    within = sum(m <= b for m, b in zip(ms, budgets, strict=True))
    ratio95 = pct([m / b for m, b in zip(ms, budgets, strict=True)], 0.95)
    print(f"per edit, latency <= 1.3 x spaCy(its paragraph) + 5 ms: {within}/{len(ms)} edits; "
          f"p95 of latency / budget {ratio95:.2f}: {'met' if ratio95 <= 1 else 'NOT met'}")
    if os.environ.get("BENCH_DUMP"):  # every edit's figures, for a closer look
        Path(os.environ["BENCH_DUMP"]).write_text(json.dumps([
            {"latency_ms": m, "arrived_ms": a * 1000, "engine_ms": e_ * 1000,
             "spacy_in_check_ms": c * 1000, "spacy_rerun_ms": s_ * 1000, "words": len(p.split())}
            for m, a, e_, c, s_, p in zip(ms, received, engine, in_check, spacy, edited,
                                          strict=True)], indent=1))
    if os.environ.get("BENCH_SHOW_MISSES"):
        for m, b, s_, e_ in zip(ms, budgets, spacy, engine, strict=True):
            if m > b:
                print(f"  over budget: {m:.1f} ms against {b:.1f} (spaCy {s_ * 1000:.1f} ms, "
                      f"engine {e_ * 1000:.1f} ms)")
    got = [x * 1000 for x in received]
    print(f"  the same against spaCy's first parse of each paragraph (median "
          f"{statistics.median(spacy_first) * 1000:.1f} ms): "
          f"{within_budget(ms, [1.3 * s * 1000 + 5 for s in spacy_first])}")
    print(f"  the same, timed when the publication's JSON arrived (before the pygls client "
          f"builds its objects): p50 {pct(got, 0.5):.1f} ms; {within_budget(got, budgets)}")
    # the same budget against spaCy's time inside the very check that answered the edit
    # (the server's log): the paragraph parsed once, in that process, at that moment, so
    # what is compared is only what the server added to it
    # An edit that brought back an earlier text of its paragraph is answered from the parse
    # cache: spaCy ran for 0 ms in that check. Its budget is still the paragraph's parse time
    # (the "spaCy's time for the edited paragraph"): the re-run time stands in.
    hits = sum(1 for s in in_check if s == 0)
    in_check = [s if s > 0 else r for s, r in zip(in_check, spacy, strict=True)]
    inner = [1.3 * s * 1000 + 5 for s in in_check]
    if inner and all(b == b for b in inner):
        print(f"  the same against spaCy's time inside the check that answered (median "
              f"{statistics.median(in_check) * 1000:.1f} ms; {hits} edits found their "
              f"paragraph's parse cached, their re-run time stands in): "
              f"{within_budget(ms, inner)}")
        print(f"  the same, timed when the publication's JSON arrived: "
              f"{within_budget(got, inner)}")
        added = [m - s * 1000 for m, s in zip(ms, in_check, strict=True)]
        print(f"  latency beyond that spaCy time: p50 {pct(added, 0.5):.1f} ms, p95 "
              f"{pct(added, 0.95):.1f} ms")
    engine_ms = [x * 1000 for x in engine]
    overhead = [a - b for a, b in zip(ms, engine_ms, strict=True)]
    print(f"  of which engine.check_text (server's log, same edits): p50 "
          f"{pct(engine_ms, 0.5):.1f} ms, p95 {pct(engine_ms, 0.95):.1f} ms")
    print(f"  of which server (queue, convert, JSON, pipe): p50 {pct(overhead, 0.5):.1f} ms, "
          f"p95 {pct(overhead, 0.95):.1f} ms")
    phases = ", ".join(f"{k} {replay[k] * 1000:.0f} ms" for k in
                       ("import_server", "rules", "model", "corpus", "page_check"))
    print(f"start-up phases in one process (engine alone): {phases}")
    print(f"server start -> first diagnostics, unchanged page (warm index, result cache): "
          f"median {statistics.median(starts) * 1000:.0f} ms, "
          f"runs {', '.join(f'{s * 1000:.0f}' for s in starts)} ms; target <= 1000 ms: "
          f"{'met' if statistics.median(starts) <= 1.0 else 'NOT met'}")
    print(f"server start -> first diagnostics, new page (warm index): "
          f"median {statistics.median(fresh) * 1000:.0f} ms, "
          f"runs {', '.join(f'{s * 1000:.0f}' for s in fresh)} ms; target <= 1500 ms: "
          f"{'met' if statistics.median(fresh) <= 1.5 else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--rerun", choices=["interleaved", "after"], default="interleaved",
                        help="time spaCy on each edited paragraph right after its edit "
                             "(default), or all of them after the last edit")
    parser.add_argument("--reference", choices=["stock", "factlint"], default="stock",
                        help="spaCy's time from the model as spaCy loads it (default), or "
                             "from factlint's own pipeline (its attribute ruler by table)")
    parser.add_argument("--cache-dir", default=None,
                        help="corpus cache (default: FACTLINT_CACHE_DIR or the user cache)")
    parser.add_argument("--corpus", default=None, metavar="DIR",
                        help="corpus folder (default: the bundled seeds)")
    args = parser.parse_args()
    if args.corpus:
        CORPUS.append(str(Path(args.corpus).resolve()))
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
