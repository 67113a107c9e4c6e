/**
 * End-to-end: spawns the real `factlint serve` and talks LSP to it over stdio
 * the way the extension's language client does.
 *
 * The server command comes from ./server.ts (FACTLINT_SERVER_COMMAND,
 * ../.venv/bin/factlint or `factlint` on PATH); when none exists the suite is
 * skipped locally but FAILS when env CI is set. As vscode-languageclient does
 * for TransportKind.stdio, `--stdio` is appended to the command.
 */

import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';

import {
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  ExecuteCommandRequest,
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgressCreateRequest,
  WorkspaceFoldersRequest,
  createProtocolConnection,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

import { SERVER_REINDEX_COMMAND } from '../src/constants';
import { toServerSettings } from '../src/settings';
import { requireServer, SKIP_REASON, timeout, type FoundServer } from './server';

const DRAFT = '"We aim to establish a beginning to the end of the war," Kallas said at a press conference.\n';
const FIRST_DIAGNOSTICS_TIMEOUT_MS = 60_000;
const INITIALIZE_TIMEOUT_MS = 60_000;

class ServerSession {
  readonly stderr: string[] = [];
  readonly published: PublishDiagnosticsParams[] = [];
  readonly configurationRequests: unknown[] = [];
  /** The settings object returned for each workspace/configuration item (the spec's `{}` by default). */
  configuration: () => unknown = () => ({});
  /** Count of workspace/diagnostic/refresh requests (pull mode). */
  refreshes = 0;
  /** Other server notifications, for failure messages. */
  readonly notifications: string[] = [];
  private readonly waiters: { match: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly connection: ProtocolConnection;
  readonly proc: ChildProcessWithoutNullStreams;

  constructor(command: string[], readonly workspace: string) {
    const [exe, ...args] = command as [string, ...string[]];
    this.proc = spawn(exe, args, { cwd: workspace, stdio: 'pipe', env: { ...process.env, PYTHONUNBUFFERED: '1' } });
    this.proc.stderr.setEncoding('utf8');
    this.proc.stderr.on('data', (chunk: string) => {
      this.stderr.push(...chunk.split('\n'));
      if (this.stderr.length > 400) {
        this.stderr.splice(0, this.stderr.length - 400);
      }
    });
    this.proc.on('exit', (code, signal) => {
      this.exited = { code, signal };
    });
    this.proc.on('error', (err) => this.stderr.push(`spawn error: ${err.message}`));
    this.connection = createProtocolConnection(new StreamMessageReader(this.proc.stdout), new StreamMessageWriter(this.proc.stdin));
    const c = this.connection;
    // Answer what a client is asked: one (empty) settings object per item, and null for the rest.
    c.onRequest(ConfigurationRequest.type, (params) => {
      this.configurationRequests.push(params);
      return params.items.map(() => this.configuration());
    });
    c.onRequest(RegistrationRequest.type, () => null);
    c.onRequest(WorkDoneProgressCreateRequest.type, () => null);
    c.onRequest(WorkspaceFoldersRequest.type, () => [{ uri: pathToFileURL(workspace).href, name: 'ws' }]);
    c.onRequest('client/unregisterCapability', () => null);
    c.onRequest('window/showMessageRequest', () => null);
    c.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshes++;
      return null;
    });
    c.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push(params);
      for (const w of [...this.waiters]) {
        if (w.match(params)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(params);
        }
      }
    });
    for (const method of ['$/progress', 'factlint/status', 'window/logMessage', 'window/showMessage', 'telemetry/event', '$/logTrace']) {
      c.onNotification(method, (params: unknown) => {
        this.notifications.push(`${method} ${JSON.stringify(params)}`);
      });
    }
    c.onError(([err]) => this.stderr.push(`connection error: ${err.message}`));
    c.listen();
  }

  /** The factlint/status notifications received so far (their params). */
  statuses(): { state?: string }[] {
    return this.notifications.filter((n) => n.startsWith('factlint/status ')).map((n) => JSON.parse(n.slice('factlint/status '.length)) as { state?: string });
  }

  /**
   * Waits until the server has finished (re)indexing: at least one factlint/status
   * was sent, the last one is not "indexing", and nothing new came for `quietMs`.
   * A settings change sent while the server re-indexes can be overwritten when the
   * re-index finishes, so tests that change settings wait for this first.
   */
  async waitIdle(ms: number, quietMs = 1000): Promise<void> {
    const deadline = Date.now() + ms;
    let seen = -1;
    let quietSince = Date.now();
    for (;;) {
      const statuses = this.statuses();
      if (this.notifications.length !== seen) {
        seen = this.notifications.length;
        quietSince = Date.now();
      }
      const last = statuses.at(-1);
      if (last !== undefined && last.state !== 'indexing' && Date.now() - quietSince >= quietMs) {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(`the server did not finish indexing within ${ms / 1000}s\n${this.describe()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  waitForDiagnostics(match: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> {
    const already = this.published.find(match);
    if (already !== undefined) {
      return Promise.resolve(already);
    }
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  describe(): string {
    const exit = this.exited === undefined ? 'still running' : `exited with code ${String(this.exited.code)} signal ${String(this.exited.signal)}`;
    const diags = this.published.map((p) => `${p.uri}: ${JSON.stringify(p.diagnostics)}`).join('\n');
    return [
      `server ${exit}`,
      '--- publishDiagnostics so far ---',
      diags || '(none)',
      '--- other notifications (tail) ---',
      this.notifications.slice(-20).join('\n') || '(none)',
      '--- server stderr (tail) ---',
      this.stderr.slice(-60).join('\n'),
    ].join('\n');
  }

  async close(): Promise<void> {
    if (this.exited === undefined) {
      try {
        await timeout(this.connection.sendRequest(ShutdownRequest.type), 10_000, () => 'shutdown');
        await this.connection.sendNotification(ExitNotification.type);
      } catch {
        // fall through to kill
      }
      const exited = new Promise<void>((resolve) => {
        if (this.exited !== undefined) {
          resolve();
        } else {
          this.proc.once('exit', () => resolve());
        }
      });
      const killTimer = setTimeout(() => this.proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killTimer);
    }
    this.connection.dispose();
  }
}

function codeOf(d: Diagnostic): string {
  return d.code === undefined ? '' : String(d.code);
}

interface StartOptions {
  /** Advertise pull diagnostics (textDocument/diagnostic), as vscode-languageclient 9 does. */
  pull: boolean;
  initializationOptions: unknown;
}

/** Spawns the server in a fresh workspace holding draft.md, and runs initialize/initialized. */
async function startSession(server: FoundServer, opts: StartOptions): Promise<{ session: ServerSession; init: InitializeResult; draftUri: string }> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'factlint-e2e-'));
  fs.writeFileSync(path.join(workspace, 'draft.md'), DRAFT);
  // The arguments vscode-languageclient appends for TransportKind.stdio (see launch.test.ts).
  const session = new ServerSession([...server.command, '--stdio'], workspace);
  const rootUri = pathToFileURL(workspace).href;
  const init = await timeout(
    session.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      clientInfo: { name: 'factlint-vscode-e2e', version: '0.1.0' },
      rootUri,
      rootPath: workspace,
      workspaceFolders: [{ uri: rootUri, name: 'ws' }],
      initializationOptions: opts.initializationOptions,
      capabilities: {
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeConfiguration: { dynamicRegistration: true },
          executeCommand: { dynamicRegistration: true },
          ...(opts.pull ? { diagnostics: { refreshSupport: true } } : {}),
        },
        window: { workDoneProgress: true, showMessage: {} },
        textDocument: {
          synchronization: { dynamicRegistration: true, didSave: true, willSave: false },
          publishDiagnostics: {
            relatedInformation: true,
            codeDescriptionSupport: true,
            versionSupport: true,
            dataSupport: true,
            tagSupport: { valueSet: [1, 2] },
          },
          ...(opts.pull ? { diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false } } : {}),
        },
      },
    }),
    INITIALIZE_TIMEOUT_MS,
    () => `initialize (${server.origin})\n${session.describe()}`,
  );
  await session.connection.sendNotification(InitializedNotification.type, {});
  return { session, init, draftUri: pathToFileURL(path.join(workspace, 'draft.md')).href };
}

async function stopSession(session: ServerSession | undefined): Promise<void> {
  if (session === undefined) {
    return;
  }
  await session.close();
  fs.rmSync(session.workspace, { recursive: true, force: true });
}

/** What vscode-languageclient sends after a settings change (synchronize.configurationSection). */
async function settingsChanged(session: ServerSession): Promise<void> {
  await session.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { factlint: session.configuration() } });
}

function checkQuoteSpeaker(diagnostics: Diagnostic[]): void {
  for (const d of diagnostics) {
    assert.notEqual(codeOf(d), '', `every diagnostic has a code: ${JSON.stringify(d)}`);
  }
  const diag = diagnostics.find((d) => codeOf(d) === 'quote-speaker');
  assert.ok(diag, `a quote-speaker diagnostic among ${JSON.stringify(diagnostics)}`);
  assert.equal(diag.range.start.line, 0, 'the diagnostic is on the quote line');
  const related = diag.relatedInformation ?? [];
  assert.ok(related.length > 0, `relatedInformation is non-empty: ${JSON.stringify(diag)}`);
  assert.ok(
    related.some((r) => r.location.uri.endsWith('.txt')),
    `a related location points into the .txt corpus: ${JSON.stringify(related.map((r) => r.location.uri))}`,
  );
  for (const r of related) {
    assert.equal(typeof r.message, 'string');
    assert.ok(r.location.range.start.line >= 0);
  }
}

const hasCode = (diagnostics: Diagnostic[], code: string): boolean => diagnostics.some((d) => codeOf(d) === code);

describe('factlint serve end-to-end: push diagnostics (real server over stdio)', { timeout: 240_000 }, () => {
  let server: FoundServer | undefined;
  let session: ServerSession | undefined;
  let init: InitializeResult | undefined;
  let draftUri = '';

  before(async () => {
    server = await requireServer();
    if (server !== undefined) {
      // What the extension sends when the user has set nothing.
      ({ session, init, draftUri } = await startSession(server, { pull: false, initializationOptions: toServerSettings({}) }));
      await settingsChanged(session);
    }
  });

  after(() => stopSession(session));

  test('initialize returns server capabilities', (t) => {
    if (session === undefined) {
      t.skip(SKIP_REASON);
      return;
    }
    assert.ok(init?.capabilities, 'initialize result has capabilities');
    assert.ok(init.capabilities.textDocumentSync !== undefined, 'server syncs text documents');
  });

  test('publishes a quote-speaker diagnostic with related information from the corpus', async (t) => {
    if (session === undefined) {
      t.skip(SKIP_REASON);
      return;
    }
    const s = session;
    const waiting = s.waitForDiagnostics((p) => p.uri === draftUri && hasCode(p.diagnostics, 'quote-speaker'));
    await s.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: draftUri, languageId: 'markdown', version: 1, text: DRAFT },
    });
    const started = Date.now();
    const published = await timeout(waiting, FIRST_DIAGNOSTICS_TIMEOUT_MS, () => `a quote-speaker diagnostic for ${draftUri}\n${s.describe()}`);
    t.diagnostic(`first quote-speaker diagnostics after ${Date.now() - started} ms`);
    checkQuoteSpeaker(published.diagnostics);
  });

  test('a settings change (factlint.disable) takes effect without a restart', async (t) => {
    if (session === undefined) {
      t.skip(SKIP_REASON);
      return;
    }
    const s = session;
    await s.waitIdle(FIRST_DIAGNOSTICS_TIMEOUT_MS);
    const indexings = s.statuses().filter((st) => st.state === 'indexing').length;
    t.diagnostic(`the server indexed the corpus ${indexings} time(s) before this test`);
    assert.ok(hasCode(s.published.at(-1)?.diagnostics ?? [], 'quote-speaker'), 'precondition: quote-speaker is shown');
    const pid = s.proc.pid;
    s.configuration = () => toServerSettings({ disable: ['quote-speaker'] });
    let since = s.published.length;
    await settingsChanged(s);
    await timeout(
      s.waitForDiagnostics((p) => s.published.indexOf(p) >= since && p.uri === draftUri && !hasCode(p.diagnostics, 'quote-speaker')),
      30_000,
      () => `diagnostics without quote-speaker after disabling it\n${s.describe()}`,
    );
    s.configuration = () => ({});
    since = s.published.length;
    await settingsChanged(s);
    await timeout(
      s.waitForDiagnostics((p) => s.published.indexOf(p) >= since && p.uri === draftUri && hasCode(p.diagnostics, 'quote-speaker')),
      30_000,
      () => `quote-speaker back after re-enabling it\n${s.describe()}`,
    );
    assert.equal(s.proc.pid, pid);
    assert.equal(s.exited, undefined, 'same server process');
  });

  test(`workspace/executeCommand ${SERVER_REINDEX_COMMAND} (Re-index Corpus) succeeds`, async (t) => {
    if (session === undefined) {
      t.skip(SKIP_REASON);
      return;
    }
    const s = session;
    const commands = init?.capabilities.executeCommandProvider?.commands ?? [];
    assert.ok(commands.includes(SERVER_REINDEX_COMMAND), `server advertises ${SERVER_REINDEX_COMMAND}; it advertises ${JSON.stringify(commands)}`);
    await timeout(
      s.connection.sendRequest(ExecuteCommandRequest.type, { command: SERVER_REINDEX_COMMAND, arguments: [] }),
      FIRST_DIAGNOSTICS_TIMEOUT_MS,
      () => `${SERVER_REINDEX_COMMAND}\n${s.describe()}`,
    );
    assert.ok(
      s.notifications.some((n) => n.startsWith('factlint/status ') && n.includes('"state":"ready"')),
      `factlint/status {state: "ready"} was sent: ${s.notifications.filter((n) => n.startsWith('factlint/status')).join(' | ')}`,
    );
  });
});

describe('factlint serve end-to-end: pull diagnostics and settings set at start-up', { timeout: 240_000 }, () => {
  let server: FoundServer | undefined;
  let session: ServerSession | undefined;
  let draftUri = '';

  /**
   * textDocument/diagnostic until `done` holds (the first pulls may come before
   * the corpus is indexed); `{ items: undefined, last }` when it never did.
   */
  async function pullUntil(s: ServerSession, done: (items: Diagnostic[]) => boolean, ms: number): Promise<{ items: Diagnostic[] | undefined; last: unknown }> {
    const deadline = Date.now() + ms;
    let last: unknown;
    for (;;) {
      const report = await timeout(
        s.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: draftUri } }),
        ms,
        () => `textDocument/diagnostic\n${s.describe()}`,
      );
      last = report;
      const items = report.kind === 'full' ? report.items : [];
      if (done(items)) {
        return { items, last };
      }
      if (Date.now() > deadline) {
        return { items: undefined, last };
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** Sends didChangeConfiguration and waits until the server has pulled the new settings. */
  async function changeSettings(s: ServerSession, settings: unknown): Promise<void> {
    s.configuration = () => settings;
    const before = s.configurationRequests.length;
    await settingsChanged(s);
    const deadline = Date.now() + 10_000;
    while (s.configurationRequests.length === before && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(s.configurationRequests.length > before, 'the server asked for workspace/configuration after didChangeConfiguration');
    await s.waitIdle(FIRST_DIAGNOSTICS_TIMEOUT_MS, 500); // let it apply them (a corpus change re-indexes)
  }

  before(async () => {
    server = await requireServer();
    if (server !== undefined) {
      // As VS Code does when the user has set factlint.disable: the same value in
      // initializationOptions and in the workspace/configuration answers.
      const startup = toServerSettings({ disable: ['quote-speaker'] });
      ({ session, draftUri } = await startSession(server, { pull: true, initializationOptions: startup }));
      session.configuration = () => startup;
      await settingsChanged(session);
    }
  });

  after(() => stopSession(session));

  test('a code disabled at start-up is not reported', async (t) => {
    if (session === undefined) {
      t.skip(SKIP_REASON);
      return;
    }
    const s = session;
    await s.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: draftUri, languageId: 'markdown', version: 1, text: DRAFT },
    });
    await s.waitIdle(FIRST_DIAGNOSTICS_TIMEOUT_MS);
    assert.ok(s.statuses().some((st) => st.state === 'ready'), `factlint/status {state: "ready"} was sent\n${s.describe()}`);
    const { items, last } = await pullUntil(s, () => true, 10_000);
    assert.ok(items !== undefined && !hasCode(items, 'quote-speaker'), `no quote-speaker while disabled: ${JSON.stringify(last)}`);
  });

  test('changing factlint.disable at run time takes effect; textDocument/diagnostic reports quote-speaker with related information', async (t) => {
    if (session === undefined) {
      t.skip(SKIP_REASON);
      return;
    }
    const s = session;
    await changeSettings(s, toServerSettings({ disable: [] }));
    const { items, last } = await pullUntil(s, (d) => hasCode(d, 'quote-speaker'), 20_000);
    assert.ok(items, `quote-speaker via pull after re-enabling it; last report ${JSON.stringify(last)}\n${s.describe()}`);
    checkQuoteSpeaker(items);
  });

  test('clearing a setting that was set at start-up takes effect', async (t) => {
    if (session === undefined) {
      t.skip(SKIP_REASON);
      return;
    }
    const s = session;
    await changeSettings(s, toServerSettings({})); // the user removed factlint.disable: sent as null
    const { items, last } = await pullUntil(s, (d) => hasCode(d, 'quote-speaker'), 20_000);
    assert.ok(
      items !== undefined && hasCode(items, 'quote-speaker'),
      `after factlint.disable is cleared the default applies again (quote-speaker reported); last report ${JSON.stringify(last)}`,
    );
  });
});
