"""The language server under abuse: edit storms, closed documents, malformed requests, a
raising rule, oversized documents; and it never writes to the user's files."""

from __future__ import annotations

import asyncio
import json
import re
import time
from pathlib import Path

import pytest
from lsp_harness import CLIENTS, DRAFT, Session, lsp_session
from lsprotocol import types
from robust_helpers import DATE, QUOTE, RawServer, clean_env

from factlint.check import Checker
from factlint.limits import DEFAULT_MAX_DRAFT_BYTES


def lsp_position(text: str, offset: int) -> types.Position:
    """The LSP position (UTF-16 column) of a str offset; lines end at \\r\\n, \\r or \\n
    (never called between the two characters of a \\r\\n)."""
    lines = re.split(r"\r\n|\r|\n", text[:offset])
    return types.Position(line=len(lines) - 1,
                          character=len(lines[-1].encode("utf-16-le")) // 2)


class Editor:
    """Sends edits as the server asked: incremental ranges, or whole texts."""

    def __init__(self, s: Session, uri: str) -> None:
        self.s, self.uri = s, uri
        sync = s.result.capabilities.text_document_sync
        kind = sync.change if isinstance(sync, types.TextDocumentSyncOptions) else sync
        self.incremental = kind == types.TextDocumentSyncKind.Incremental
        self.text = s.texts[uri]

    def replace(self, start: int, end: int, new: str) -> int:
        rng = types.Range(start=lsp_position(self.text, start),
                          end=lsp_position(self.text, end))
        self.text = self.text[:start] + new + self.text[end:]
        self.s.versions[self.uri] += 1
        self.s.texts[self.uri] = self.text
        change: types.TextDocumentContentChangeEvent = (
            types.TextDocumentContentChangePartial(range=rng, text=new) if self.incremental
            else types.TextDocumentContentChangeWholeDocument(text=self.text))
        self.s.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(
                uri=self.uri, version=self.s.versions[self.uri]),
            content_changes=[change]))
        return self.s.versions[self.uri]


def key(code: str, message: str, rng: dict) -> tuple:
    return (code, rng["start"]["line"], rng["start"]["character"], rng["end"]["line"],
            rng["end"]["character"], message)


def cli_findings(cli, folder: Path, text: str) -> list[tuple]:
    (folder / "final.md").write_bytes(text.encode())
    run = cli(["check", "--no-config", "--format", "json", "final.md"], folder)
    assert run.returncode in (0, 1), run.stderr
    return sorted(key(d["code"], d["message"], d["range"])
                  for d in json.loads(run.stdout)["files"][0]["diagnostics"])


def lsp_findings(diags: list[types.Diagnostic]) -> list[tuple]:
    return sorted(key(str(d.code), d.message, {
        "start": {"line": d.range.start.line, "character": d.range.start.character},
        "end": {"line": d.range.end.line, "character": d.range.end.character}})
        for d in diags)


@pytest.mark.parametrize("client_name", CLIENTS)
async def test_100_changes_in_a_second_end_with_the_clis_diagnostics(
        client_name: str, server_env: dict[str, str], tmp_path: Path, cli) -> None:
    quiet_quote = QUOTE.replace("Kallas", "Zelensky")
    quiet_date = DATE.replace("2015", "2014")
    start = f"# Notes 😀\r\n\r\n{quiet_quote}\n\n{quiet_date}\r\n\r\n𝕏 北京 שלום\n"
    workspace = tmp_path / "ws"
    workspace.mkdir()
    async with lsp_session(server_env, workspace, client_name=client_name,
                           initialization_options={"debounceMs": 0}) as s:
        uri = s.open("storm.md", start)
        await s.diagnostics(uri, version=1)
        ed = Editor(s, uri)
        began = time.monotonic()
        # misattribute the quote, keystroke by keystroke
        at = ed.text.index("Zelensky")
        ed.replace(at, at + len("Zelensky"), "")
        for i, ch in enumerate("Kallas"):
            ed.replace(at + i, at + i, ch)
            await asyncio.sleep(0)
        # the wrong year: backspace, type
        at = ed.text.index("2014") + 3
        ed.replace(at, at + 1, "")
        ed.replace(at, at, "5")
        # type a heading's continuation, with astral characters and line breaks typed as
        # \r then \n (a lone CR for one version), pushing every finding down
        typed = ("x 😀 北 \r\n𝕏y " * 20)[:91]
        at = ed.text.index("\r\n")
        for i, ch in enumerate(typed):
            ed.replace(at + i, at + i, ch)
            await asyncio.sleep(0)
        elapsed = time.monotonic() - began
        final_version = s.versions[uri]
        assert final_version == 101 and elapsed < 1.0, (final_version, elapsed)

        diags = await s.diagnostics(uri, version=final_version)
        await asyncio.sleep(1.5)  # nothing older may be published after it
        assert s.publications(uri)[-1].version == final_version
        assert {str(d.code) for d in diags} == {"quote-speaker", "date"}
        assert lsp_findings(diags) == cli_findings(cli, tmp_path, ed.text)


def snapshot(root: Path) -> dict[str, tuple[int, bytes]]:
    return {str(p.relative_to(root)): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(root.rglob("*")) if p.is_file()}


async def test_close_clears_and_the_workspace_is_never_written(
        server_env: dict[str, str], tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "notes").mkdir(parents=True)
    (root / "draft.md").write_text(DRAFT, encoding="utf-8")
    (root / "notes" / "plain.txt").write_bytes(f"{DATE}\r\n".encode())
    (root / "factlint.toml").write_text("disable = []\n", encoding="utf-8")
    before = snapshot(root)
    async with lsp_session(server_env, root, initialization_options={"debounceMs": 0}) as s:
        uris = [s.open("draft.md"), s.open("notes/plain.txt", language="plaintext")]
        for uri in uris:
            diags = await s.diagnostics(uri, version=1, predicate=bool)
            for d in diags:  # every action offered, none applied
                actions = await s.client.text_document_code_action_async(
                    types.CodeActionParams(
                        text_document=types.TextDocumentIdentifier(uri=uri), range=d.range,
                        context=types.CodeActionContext(diagnostics=[d])))
                assert actions and all(a.edit is not None for a in actions)
                await s.client.text_document_hover_async(types.HoverParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    position=d.range.start))
                await s.client.text_document_definition_async(types.DefinitionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    position=d.range.start))
            s.client.text_document_did_save(types.DidSaveTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=uri)))
        await asyncio.sleep(0.5)
        for uri in uris:
            count = len(s.publications(uri))
            s.client.text_document_did_close(types.DidCloseTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=uri)))
            await s.wait_for(lambda u=uri, n=count: len(s.publications(u)) > n,
                             what="the publication that clears a closed document")
            assert not s.publications(uri)[-1].diagnostics
        await asyncio.sleep(0.5)
        for uri in uris:  # nothing is published for a closed document afterwards
            assert not s.publications(uri)[-1].diagnostics
    assert snapshot(root) == before


def test_malformed_requests_get_json_rpc_errors(cache_dir: Path, tmp_path: Path) -> None:
    server = RawServer(clean_env(cache_dir))
    try:
        init = server.request(1, "initialize", {"capabilities": {}, "rootUri": None,
                                                "processId": None}, timeout=60)
        assert "capabilities" in init["result"]
        server.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        hover = "textDocument/hover"
        nowhere = {"line": 0, "character": 0}
        cases = [
            (10, hover, {}, -32602),  # missing params
            (11, hover, None, -32602),
            (12, hover, {"textDocument": {"uri": "::::"}, "position": nowhere}, -32602),
            (13, hover, {"textDocument": {"uri": 42}, "position": nowhere}, -32602),
            (14, hover, {"textDocument": {"uri": "file:///x.md"},
                         "position": {"line": -1, "character": "x"}}, -32602),
            (15, "textDocument/codeAction", {"textDocument": {"uri": "file:///x.md"}},
             -32602),
            (16, "textDocument/definition", {"position": nowhere}, -32602),
            (17, "factlint/nonsense", {}, -32601),
            (18, "workspace/executeCommand", {"command": "rm -rf /"}, -32602),
        ]
        for msg_id, method, params, code in cases:
            reply = server.request(msg_id, method, params)
            assert reply.get("error", {}).get("code") == code, (method, params, reply)
        # malformed notifications and bytes cannot be answered, and do not kill the server
        server.send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                     "params": {"textDocument": {"uri": "file:///y.md"}}})
        server.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": "file:///never-opened.md", "version": 2},
            "contentChanges": [{"text": "x"}]}})
        server.send(b"{this is not json")
        ok = server.request(30, hover, {"textDocument": {"uri": "file:///x.md"},
                                        "position": nowhere})
        assert ok.get("result", "missing") is None  # a well-formed request still works
        assert server.request(31, "shutdown")["result"] is None
    finally:
        server.close()


async def test_a_raising_rule_is_isolated_and_logged(server_env: dict[str, str],
                                                     tmp_path: Path) -> None:
    """A check that raises (patched in at start-up, as a buggy rule would) costs only its
    own findings: the others are published, the error is logged, the server lives on."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import factlint.check as check\n"
        "def boom(self, claim):\n"
        "    raise RuntimeError('boom from a broken date rule')\n"
        "check.Checker.check_date = boom\n", encoding="utf-8")
    env = {**server_env, "PYTHONPATH": f"{hook}:{server_env['PYTHONPATH']}"}
    root = tmp_path / "ws"
    root.mkdir()
    async with lsp_session(env, root, initialization_options={"debounceMs": 0}) as s:
        uri = s.open("draft.md", f"{QUOTE}\n\n{DATE}\n")
        diags = await s.diagnostics(uri, version=1, predicate=bool)
        assert [d.code for d in diags] == ["quote-speaker"]
        await s.wait_for(lambda: any("boom from a broken date rule" in m.message
                                     for m in s.client.log_messages),
                         what="the rule's error in the log")
        hover = await s.client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=diags[0].range.start))
        assert hover is not None


def test_the_engine_isolates_a_raising_rule(engine, monkeypatch: pytest.MonkeyPatch) -> None:
    errors: list[str] = []

    def boom(self, claim):
        raise RuntimeError("boom")

    monkeypatch.setattr(Checker, "check_date", boom)
    monkeypatch.setattr(engine, "on_error", lambda msg, exc: errors.append(f"{msg}: {exc}"))
    text = f"{QUOTE}\n\nIn isolation: {DATE}\n"  # new text: no cached result answers
    assert [d.code for d in engine.check_text(text, "iso.md")] == ["quote-speaker"]
    assert errors and "check date failed" in errors[0] and "boom" in errors[0]


async def test_an_oversized_document_is_skipped_with_one_warning(
        server_env: dict[str, str], tmp_path: Path) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    big = (f"{QUOTE} {DATE}\n\n" * (10 * (1 << 20) // 130))
    assert len(big.encode()) > 9 * DEFAULT_MAX_DRAFT_BYTES
    async with lsp_session(server_env, root, initialization_options={"debounceMs": 0}) as s:
        big_uri = s.open("big.md", big)
        small_uri = s.open("small.md", f"{DATE}\n")
        await s.diagnostics(small_uri, version=1, predicate=bool)
        ed = Editor(s, big_uri)
        for ch in "abc":  # keystrokes in the big document
            ed.replace(0, 0, ch)
            await asyncio.sleep(0.2)
        await s.wait_for(lambda: s.publications(big_uri), what="the big document's result")
        await asyncio.sleep(1)
        assert not any(p.diagnostics for p in s.publications(big_uri))
        warnings = [m for m in s.client.messages if "larger than" in m.message]
        assert len(warnings) == 1, warnings
        assert warnings[0].type == types.MessageType.Warning
        assert f"larger than {DEFAULT_MAX_DRAFT_BYTES} bytes" in warnings[0].message
        # the server still checks the other document as it changes
        v = Editor(s, small_uri).replace(0, 0, QUOTE + "\n\n")
        diags = await s.diagnostics(small_uri, version=v, predicate=bool)
        assert {str(d.code) for d in diags} == {"quote-speaker", "date"}
