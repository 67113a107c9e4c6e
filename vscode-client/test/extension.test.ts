/**
 * Exercises src/extension.ts against the fake `vscode` and
 * `vscode-languageclient/node` modules from ./mocks.
 */

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';

import { COMMANDS, DOCUMENT_SELECTOR, SERVER_REINDEX_COMMAND } from '../src/constants';
import {
  LanguageClientRegistry,
  VscodeState,
  createLanguageClientMock,
  createVscodeMock,
  fileUri,
  installModuleMocks,
  type FakeLanguageClient,
} from './mocks';

type ExtensionModule = typeof import('../src/extension');

const state = new VscodeState();
const registry = new LanguageClientRegistry();
let uninstall: (() => void) | undefined;
let ext: ExtensionModule;
let tmp: string;
let savedPath: string | undefined;

/** A fake `factlint` executable and a fake Python that "has" factlint. */
function makeExecutable(file: string, body: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

async function activate(): Promise<import('../src/extension').FactlintApi> {
  const api = ext.activate({ subscriptions: [] } as unknown as import('vscode').ExtensionContext);
  await api.ready();
  return api;
}

function settle(ms = 20): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function lastClient(): FakeLanguageClient {
  const c = registry.last;
  assert.ok(c, 'a LanguageClient was created');
  return c;
}

describe('extension (mocked vscode)', { skip: process.platform === 'win32' ? 'uses /bin/sh scripts' : false }, () => {
  before(() => {
    uninstall = installModuleMocks({
      vscode: createVscodeMock(state),
      'vscode-languageclient/node': createLanguageClientMock(registry),
    });
    ext = require('../src/extension') as ExtensionModule;
  });

  after(() => {
    uninstall?.();
  });

  beforeEach(() => {
    state.reset();
    registry.reset();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'factlint-ext-'));
    savedPath = process.env['PATH'];
    // An empty PATH: nothing is found unless a test puts it there.
    fs.mkdirSync(path.join(tmp, 'emptybin'));
    process.env['PATH'] = path.join(tmp, 'emptybin');
    state.workspaceFolders = [{ uri: fileUri(path.join(tmp, 'ws')), name: 'ws', index: 0 }];
  });

  afterEach(async () => {
    await ext.deactivate();
    process.env['PATH'] = savedPath;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('registers the three commands', async () => {
    await activate();
    for (const id of Object.values(COMMANDS)) {
      assert.ok(state.commands.has(id), id);
    }
  });

  test('starts factlint.serverCommand with the documented client options', async () => {
    const server = makeExecutable(path.join(tmp, 'bin', 'my-factlint'), 'exit 0');
    state.settings = {
      serverCommand: [server, 'serve', '--verbose'],
      pythonPath: '/should/not/be/used',
      corpus: ['${workspaceFolder}/sources', 'more'],
      rules: ['house.yaml'],
      severity: { 'quote-speaker': 'error', bogus: 'loud' },
      disable: ['date-mismatch'],
      debounceMs: 500,
      checkFrequency: 'save',
    };
    const api = await activate();
    assert.equal(registry.clients.length, 1);
    const c = lastClient();
    assert.equal(c.id, 'factlint');
    assert.equal(c.serverOptions.command, server);
    assert.deepEqual(c.serverOptions.args, ['serve', '--verbose']);
    assert.equal(c.serverOptions.transport, 0 /* stdio */);
    // vscode-languageclient appends --stdio for the stdio transport (test/launch.test.ts); the log shows it.
    assert.ok(state.output.some((l) => l.includes(`starting: ${server} serve --verbose --stdio`)), 'the launch command is logged');
    assert.equal(c.serverOptions.options?.cwd, path.join(tmp, 'ws'));
    assert.deepEqual(c.clientOptions.documentSelector, DOCUMENT_SELECTOR);
    assert.deepEqual(c.clientOptions.synchronize, { configurationSection: 'factlint' });
    assert.deepEqual(c.clientOptions.initializationOptions, {
      corpus: [path.join(tmp, 'ws') + '/sources', 'more'],
      rules: ['house.yaml'],
      severity: { 'quote-speaker': 'error' },
      disable: ['date-mismatch'],
      debounceMs: 500,
      checkFrequency: 'save',
      showSupported: true,
    });
    assert.equal(c.startCalls, 1);
    assert.equal(api.serverCommand()?.source, 'serverCommand');
    assert.equal(state.statusText, 'factlint: ready');
    assert.ok(state.output.some((l) => l.includes('factlint.severity.bogus')), 'invalid settings are logged');
    assert.equal(state.messages.length, 0);
  });

  test('serverCommand as a string', async () => {
    const server = makeExecutable(path.join(tmp, 'bin', 'factlint'), 'exit 0');
    state.settings = { serverCommand: `${server} serve` };
    await activate();
    assert.equal(lastClient().serverOptions.command, server);
    assert.deepEqual(lastClient().serverOptions.args, ['serve']);
    // Nothing else set: every server key is sent, as null, so factlint.toml and the server defaults apply.
    assert.deepEqual(lastClient().clientOptions.initializationOptions, {
      corpus: null,
      rules: null,
      severity: null,
      disable: null,
      debounceMs: null,
      checkFrequency: null,
      showSupported: true,
    });
  });

  test('falls back to `factlint serve` on PATH', async () => {
    const bin = path.join(tmp, 'pathbin');
    makeExecutable(path.join(bin, 'factlint'), 'exit 0');
    process.env['PATH'] = bin;
    await activate();
    assert.equal(lastClient().serverOptions.command, path.join(bin, 'factlint'));
    assert.deepEqual(lastClient().serverOptions.args, ['serve']);
  });

  test('uses factlint.pythonPath as `<python> -m factlint serve`', async () => {
    const python = makeExecutable(path.join(tmp, 'py', 'python'), 'exit 0'); // probe succeeds
    state.settings = { pythonPath: python };
    const api = await activate();
    assert.equal(lastClient().serverOptions.command, python);
    assert.deepEqual(lastClient().serverOptions.args, ['-m', 'factlint', 'serve']);
    assert.equal(api.serverCommand()?.source, 'pythonPath');
  });

  test("uses the Python extension's active interpreter when present", async () => {
    const python = makeExecutable(path.join(tmp, 'venv', 'bin', 'python'), 'exit 0');
    let activated = 0;
    state.extensions['ms-python.python'] = {
      isActive: false,
      exports: undefined,
      activate: async () => {
        activated++;
        return {
          ready: Promise.resolve(),
          environments: {
            getActiveEnvironmentPath: () => ({ id: 'venv', path: python }),
            resolveEnvironment: async () => ({ executable: { uri: { fsPath: python } } }),
            onDidChangeActiveEnvironmentPath: () => ({ dispose: () => undefined }),
          },
        };
      },
    };
    const api = await activate();
    assert.ok(activated >= 1);
    assert.equal(lastClient().serverOptions.command, python);
    assert.deepEqual(lastClient().serverOptions.args, ['-m', 'factlint', 'serve']);
    assert.equal(api.serverCommand()?.source, 'pythonExtension');
  });

  test('falls back to the old Python API (settings.getExecutionDetails)', async () => {
    const python = makeExecutable(path.join(tmp, 'venv2', 'bin', 'python'), 'exit 0');
    state.extensions['ms-python.python'] = {
      isActive: true,
      exports: { settings: { getExecutionDetails: () => ({ execCommand: [python] }) } },
      activate: async () => undefined,
    };
    await activate();
    assert.equal(lastClient().serverOptions.command, python);
  });

  test('a Python without factlint is skipped', async () => {
    const python = makeExecutable(path.join(tmp, 'py', 'python'), 'exit 1'); // probe fails
    const bin = path.join(tmp, 'pathbin');
    makeExecutable(path.join(bin, 'factlint'), 'exit 0');
    process.env['PATH'] = bin;
    state.settings = { pythonPath: python };
    await activate();
    assert.equal(lastClient().serverOptions.command, path.join(bin, 'factlint'));
    assert.ok(state.output.some((l) => l.includes('factlint is not installed for')));
  });

  test('not installed: one notification whose button opens the setting, no client, no loop', async () => {
    state.settings = { serverCommand: [], pythonPath: '' };
    state.answers.error = 'Open Settings';
    await activate();
    await settle();
    assert.equal(registry.clients.length, 0, 'no LanguageClient is started');
    const errors = state.messages.filter((m) => m.level === 'error');
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? '', /factlint is not installed: pip install factlint/);
    assert.deepEqual(errors[0]?.items, ['Open Settings', 'Show Output']);
    assert.deepEqual(state.executed, [['workbench.action.openSettings', 'factlint.serverCommand']]);
    assert.match(state.statusText ?? '', /not installed/);
    // Changing an unrelated factlint setting does not retry or notify again.
    state.changeSettings({ 'factlint.debounceMs': 100 });
    await settle(50);
    assert.equal(state.messages.length, 1);
  });

  test('factlint/status notifications drive the status bar', async () => {
    state.settings = { serverCommand: [makeExecutable(path.join(tmp, 'bin', 'f'), 'exit 0'), 'serve'] };
    await activate();
    const c = lastClient();
    c.notify('factlint/status', { state: 'indexing', facts: 0, message: 'Indexing 5 articles' });
    assert.equal(state.statusText, '$(sync~spin) factlint: indexing…');
    c.notify('factlint/status', { state: 'ready', facts: 123, message: 'Indexed 5 articles' });
    assert.equal(state.statusText, 'factlint: 123 facts');
    c.notify('factlint/status', { state: 'nonsense' });
    assert.equal(state.statusText, 'factlint: 123 facts');
    assert.equal(state.statusItems[0]?.command, COMMANDS.showOutput);
  });

  test('Re-index Corpus sends workspace/executeCommand factlint.reindex', async () => {
    state.settings = { serverCommand: [makeExecutable(path.join(tmp, 'bin', 'f'), 'exit 0'), 'serve'] };
    await activate();
    await state.commands.get(COMMANDS.reindexCorpus)?.();
    assert.deepEqual(lastClient().requests, [{ method: 'workspace/executeCommand', params: { command: SERVER_REINDEX_COMMAND, arguments: [] } }]);
  });

  test('Re-index Corpus without a server offers a restart', async () => {
    await activate();
    state.messages.length = 0;
    await state.commands.get(COMMANDS.reindexCorpus)?.();
    assert.equal(state.messages.length, 1);
    assert.match(state.messages[0]?.message ?? '', /not running/);
  });

  test('Show Output reveals the output channel', async () => {
    await activate();
    await state.commands.get(COMMANDS.showOutput)?.();
    assert.equal(state.outputShown, 1);
  });

  test('Restart Server stops the old client and starts a new one', async () => {
    state.settings = { serverCommand: [makeExecutable(path.join(tmp, 'bin', 'f'), 'exit 0'), 'serve'] };
    await activate();
    const first = lastClient();
    await state.commands.get(COMMANDS.restartServer)?.();
    assert.equal(registry.clients.length, 2);
    assert.equal(first.stopCalls, 1);
    assert.equal(lastClient().startCalls, 1);
  });

  test('changing serverCommand restarts; changing other settings does not', async () => {
    const a = makeExecutable(path.join(tmp, 'bin', 'a'), 'exit 0');
    const b = makeExecutable(path.join(tmp, 'bin', 'b'), 'exit 0');
    state.settings = { serverCommand: [a, 'serve'] };
    const api = await activate();
    state.changeSettings({ 'factlint.corpus': ['x'], 'factlint.debounceMs': 50 });
    await api.ready();
    assert.equal(registry.clients.length, 1, 'no restart for server-side settings');
    state.changeSettings({ 'factlint.serverCommand': [b, 'serve'] });
    await settle();
    await api.ready();
    assert.equal(registry.clients.length, 2);
    assert.equal(lastClient().serverOptions.command, b);
    assert.deepEqual(lastClient().clientOptions.initializationOptions.corpus, ['x']);
  });

  test('workspace/configuration answers for section factlint are normalised', async () => {
    state.settings = { serverCommand: [makeExecutable(path.join(tmp, 'bin', 'f'), 'exit 0'), 'serve'] };
    await activate();
    state.settings['corpus'] = ['${workspaceFolder}/c'];
    state.settings['debounceMs'] = 10;
    const middleware = lastClient().clientOptions.middleware.workspace.configuration as (
      params: unknown,
      token: unknown,
      next: (params: unknown, token: unknown) => unknown,
    ) => Promise<unknown[]>;
    const results = await middleware(
      { items: [{ section: 'factlint', scopeUri: `file://${path.join(tmp, 'ws', 'a.md')}` }, { section: 'other' }] },
      {},
      () => [{ corpus: ['ignored: re-read with inspect()'] }, { keep: true }],
    );
    assert.deepEqual(results, [
      { corpus: [`${path.join(tmp, 'ws')}/c`], rules: null, severity: null, disable: null, debounceMs: 10, checkFrequency: null, showSupported: true },
      { keep: true },
    ]);
  });

  test('the error handler restarts a crashing server a few times, then gives up', async () => {
    state.settings = { serverCommand: [makeExecutable(path.join(tmp, 'bin', 'f'), 'exit 0'), 'serve'] };
    await activate();
    const handler = lastClient().clientOptions.errorHandler as { closed(): { action: number; message?: string } };
    const actions = [1, 2, 3, 4, 5].map(() => handler.closed());
    assert.deepEqual(
      actions.map((a) => a.action),
      [2, 2, 2, 2, 1], // Restart x4, then DoNotRestart
    );
    assert.match(actions[4]?.message ?? '', /will not be restarted/);
    assert.match(state.statusText ?? '', /failed/);
    assert.equal(lastClient().clientOptions.initializationFailedHandler(new Error('x')), false);
  });

  test('a start failure is reported in the status bar, without extra notifications', async () => {
    registry.startError = new Error('spawn failed');
    state.settings = { serverCommand: [makeExecutable(path.join(tmp, 'bin', 'f'), 'exit 0'), 'serve'] };
    await activate();
    assert.match(state.statusText ?? '', /failed/);
    assert.equal(state.messages.length, 0);
    assert.ok(state.output.some((l) => l.includes('spawn failed')));
  });
});
