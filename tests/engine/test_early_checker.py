"""The early checker (factlint.early_checker): the process that checks a just-opened draft
while the language server still loads spaCy. Its protocol, what it refuses, and the
server's handle on a process that dies or talks nonsense."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus_engine import engine_over_files
from factlint import early_checker
from factlint.config import EngineConfig
from factlint.early_checker import EarlyChecker, Worker, request_for, serve

ARTICLE = ("The city council approved the new library on 3 March 2021, the mayor, "
           "Ana Ruiz, told reporters. The building cost 12 million euros.\n")
DRAFT = "The council approved the new library on 5 March 2021.\n"


def _request(corpus: Path, cache: Path, text: str, **over: object) -> dict:
    config = EngineConfig(corpus=[corpus], cache_dir=cache)
    request = request_for(config, str(corpus.parent / "draft.md"), text, True)
    request.update(over)
    return request


def test_a_draft_it_checks_is_then_in_the_servers_result_cache(tmp_path: Path) -> None:
    engine = engine_over_files(tmp_path, {"council.txt": ARTICLE})  # the index is cached
    engine.enable_result_cache()
    assert engine.check_cached(DRAFT, "draft.md", markdown=True) is None
    reply = Worker().handle(_request(tmp_path / "corpus", tmp_path / "cache", DRAFT))
    assert reply == {"ok": True}
    cached = engine.check_cached(DRAFT, "draft.md", markdown=True)
    assert cached is not None
    fresh = engine.check_text(DRAFT, "draft.md", markdown=True, use_cache=False)
    assert [d.to_json() for d in cached] == [d.to_json() for d in fresh]
    assert any(d.code == "date" for d in fresh)  # (the draft contradicts the article)


def test_it_does_not_index_a_corpus_whose_index_is_not_cached(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "council.txt").write_text(ARTICLE, encoding="utf-8")
    reply = Worker().handle(_request(corpus, tmp_path / "cache", DRAFT))
    assert reply["ok"] is False and "not up to date" in reply["why"]
    assert not list((tmp_path / "cache").glob("index-*"))  # it built nothing


def test_a_draft_over_the_size_limit_is_not_checked(tmp_path: Path) -> None:
    engine_over_files(tmp_path, {"council.txt": ARTICLE})
    request = _request(tmp_path / "corpus", tmp_path / "cache", DRAFT * 20,
                       max_draft_bytes=100)
    reply = Worker().handle(request)
    assert reply["ok"] is False and reply["why"]


@pytest.mark.parametrize("line", [b"not json\n", b"[1, 2]\n", b"{}\n"])
def test_a_bad_request_gets_a_refusal_and_the_next_one_an_answer(line: bytes) -> None:
    replies = io.BytesIO()
    serve(io.BytesIO(line + b'{"corpus": 1}\n'), replies)
    answers = [json.loads(x) for x in replies.getvalue().splitlines()]
    assert len(answers) == 2
    assert all(a["ok"] is False and a["why"] for a in answers)


def _fake(script: str) -> EarlyChecker:
    proc = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE)
    return EarlyChecker(proc)


def test_the_handle_says_checked_only_when_the_process_says_so() -> None:
    echo = "import sys\nfor line in sys.stdin:\n    print('{\"ok\": true}', flush=True)\n"
    ok = _fake(echo)
    assert ok.check({"text": "x"}) is True
    ok.stop()
    nonsense = _fake("import sys\nsys.stdin.readline()\nprint('nonsense', flush=True)\n")
    assert nonsense.check({"text": "x"}) is False
    nonsense.stop()


def test_a_dead_or_stopped_process_checks_nothing() -> None:
    dead = _fake("pass")
    dead._proc.wait(30)
    assert not dead.running and dead.check({"text": "x"}) is False
    idle = _fake("import time\ntime.sleep(60)\n")
    assert idle.running
    idle.stop()
    assert not idle.running and idle.check({"text": "x"}) is False
    deadline = time.monotonic() + 10
    while idle._proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert idle._proc.poll() is not None  # terminated, not left loading


@pytest.mark.parametrize("value", ["0", "off", "false", "No"])
def test_the_environment_can_turn_it_off(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(early_checker.DISABLE_ENV, value)
    assert early_checker.wanted() is False
    assert EarlyChecker.start() is None
