"""Edit latency of two server trees, paired: the same edits to each in turn, in one run.

    git worktree add /tmp/before <commit>
    .venv/bin/python bench/lsp_paired.py /tmp/before/server server [--edits 150]

This machine's speed drifts by up to 2x within minutes, so two runs of ``lsp_latency.py``
taken minutes apart do not compare code. Here both servers (``python -m factlint serve``
with ``PYTHONPATH`` set to each ``server`` folder) open the same 10,000-word draft, and
every edit goes to one, then the other (the order alternating), so both see the same
machine. For each: latency beyond spaCy's time inside the check that answered (the
server's debug log), p50 / p95, and p95 of latency / (1.3 x that spaCy time + 5 ms), end
to end and when the JSON arrived; then the paired difference, edit by edit. Edits whose
paragraph's parse was cached (spaCy 0 ms in the check) are left out.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lsp_latency as L  # noqa: E402
from pygls.uris import from_fs_path  # noqa: E402

Sample = tuple[float, float, float, float]  # latency, arrived, spaCy in check, engine (ms)


def _env(server_dir: str) -> dict[str, str]:
    env = L.server_env(None)
    env["PYTHONPATH"] = str(Path(server_dir).resolve())
    return env


async def _run(dirs: list[str], edits: int) -> dict[str, list[Sample]]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paragraphs = L.make_draft(10_000)
        uri = from_fs_path(str(root / "long.md")) or ""
        servers = []
        for d in dirs:
            recorder = L.Recorder()
            client = await L.start(recorder, _env(d), root)
            L.open_doc(client, uri, L.render(paragraphs))
            await recorder.wait(uri, 1, timeout=600)
            servers.append((d, client, recorder))
        await asyncio.sleep(3)  # what opening left to do in the background
        gc.collect()
        gc.disable()  # (this process's own collections are no part of a server's latency)
        rng = random.Random(11)
        out: dict[str, list[Sample]] = {d: [] for d in dirs}
        for k in range(edits):
            i = rng.randrange(len(paragraphs))
            old, new = paragraphs[i], L.edit_paragraph(paragraphs[i], rng)
            paragraphs[i] = new
            version = k + 2
            for d, client, recorder in (servers if k % 2 == 0 else servers[::-1]):
                sent = time.perf_counter()
                L.send_edit(client, uri, version, L.paragraph_line(paragraphs, i), old, new)
                got = await recorder.wait(uri, version)
                arrived = recorder.arrived.get((uri, version), got)
                for _ in range(100):  # the engine's log line comes just after
                    if ("long.md", version) in recorder.engine_ms:
                        break
                    await asyncio.sleep(0.005)
                out[d].append(((got - sent) * 1000, (arrived - sent) * 1000,
                               recorder.spacy_ms.get(("long.md", version), float("nan")),
                               recorder.engine_ms.get(("long.md", version), float("nan"))))
        gc.enable()
        for _d, client, _r in servers:
            await L.stop(client)
    return out


def _report(dirs: list[str], out: dict[str, list[Sample]]) -> None:
    keep = [k for k in range(len(out[dirs[0]])) if all(out[d][k][2] > 0 for d in dirs)]
    for name, col in (("end to end", 0), ("JSON arrived", 1)):
        print(f"{name}:")
        for d in dirs:
            rows = [out[d][k] for k in keep]
            beyond = [r[col] - r[2] for r in rows]
            ratio = [r[col] / (1.3 * r[2] + 5) for r in rows]
            print(f"  {d}: beyond spaCy p50 {L.pct(beyond, 0.5):.2f} ms, p95 "
                  f"{L.pct(beyond, 0.95):.2f} ms; p95 latency / budget {L.pct(ratio, 0.95):.3f}"
                  f"; engine beyond spaCy p50 "
                  f"{statistics.median(r[3] - r[2] for r in rows):.2f} ms")
        diff = [(out[dirs[1]][k][col] - out[dirs[1]][k][2])
                - (out[dirs[0]][k][col] - out[dirs[0]][k][2]) for k in keep]
        print(f"  paired (second - first) beyond spaCy: median {statistics.median(diff):+.2f}"
              f" ms, mean {statistics.mean(diff):+.2f} ms over {len(keep)} edits")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("first", help="a server folder (the one holding factlint/)")
    parser.add_argument("second")
    parser.add_argument("--edits", type=int, default=150)
    args = parser.parse_args()
    dirs = [args.first, args.second]
    _report(dirs, asyncio.run(_run(dirs, args.edits)))


if __name__ == "__main__":
    main()
