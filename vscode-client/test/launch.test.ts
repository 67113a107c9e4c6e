/**
 * The server launch as VS Code performs it: the server options come from
 * src/serverOptions.ts (the function extension.ts uses), and the process is
 * spawned by the real vscode-languageclient (its createMessageTransports, with
 * a stand-in `vscode` module), so the arguments the library appends for the
 * transport (`--stdio` for TransportKind.stdio) are part of the test. The
 * real-server test needs the factlint server (see ./server.ts).
 */

import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';

import type { LanguageClient, MessageTransports } from 'vscode-languageclient/node';
import {
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  ShutdownRequest,
  createProtocolConnection,
  type InitializeResult,
} from 'vscode-languageserver-protocol/node';

import type { ServerCommand } from '../src/serverCommand';
import { anything, installModuleMocks } from './mocks';
import { SKIP_REASON, requireServer, timeout } from './server';

type LanguageClientModule = typeof import('vscode-languageclient/node');
type ServerOptionsModule = typeof import('../src/serverOptions');

const INITIALIZE_TIMEOUT_MS = 60_000;

/** The parts of the (real) LanguageClient this test reaches into. */
interface LaunchingClient {
  createMessageTransports(encoding: string): Promise<MessageTransports>;
  readonly _serverProcess: ChildProcess | undefined;
}

let uninstall: (() => void) | undefined;
let lc: LanguageClientModule;
let serverOptions: ServerOptionsModule;
let tmp: string;
const output: string[] = [];

const outputChannel = {
  name: 'factlint',
  append: (s: string) => output.push(s),
  appendLine: (s: string) => output.push(`${s}\n`),
  replace: () => undefined,
  clear: () => undefined,
  show: () => undefined,
  hide: () => undefined,
  dispose: () => undefined,
};

/** A real vscode-languageclient LanguageClient for `cmd`, with the options extension.ts builds. */
function clientFor(cmd: ServerCommand, cwd: string): { client: LanguageClient; launcher: LaunchingClient } {
  const options = serverOptions.buildServerOptions(cmd, cwd, { ...process.env, PYTHONUNBUFFERED: '1' });
  const client = new lc.LanguageClient('factlint', 'factlint', options, {
    outputChannel: outputChannel as unknown as import('vscode').OutputChannel,
  });
  return { client, launcher: client as unknown as LaunchingClient };
}

function exitOf(proc: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      resolve({ code: proc.exitCode, signal: proc.signalCode });
    } else {
      proc.once('exit', (code, signal) => resolve({ code, signal }));
    }
  });
}

describe('server launch through vscode-languageclient', { timeout: 120_000 }, () => {
  before(() => {
    uninstall = installModuleMocks({ vscode: anything({ version: '1.82.0' }) });
    lc = require('vscode-languageclient/node') as LanguageClientModule;
    serverOptions = require('../src/serverOptions') as ServerOptionsModule;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'factlint-launch-'));
  });

  after(() => {
    uninstall?.();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('buildServerOptions: the resolved command, stdio transport, cwd and environment', () => {
    const options = serverOptions.buildServerOptions({ command: '/x/factlint', args: ['serve'], source: 'path' }, '/ws', { A: '1' });
    assert.deepEqual(options, { command: '/x/factlint', args: ['serve'], transport: lc.TransportKind.stdio, options: { cwd: '/ws', env: { A: '1' } } });
  });

  test('vscode-languageclient appends exactly --stdio to the command', { skip: process.platform === 'win32' ? 'uses a /bin/sh script' : false }, async () => {
    const record = path.join(tmp, 'args.txt');
    const script = path.join(tmp, 'fake-factlint');
    fs.writeFileSync(script, `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > '${record}'\n`, { mode: 0o755 });
    const { launcher } = clientFor({ command: script, args: ['serve'], source: 'serverCommand' }, tmp);
    await launcher.createMessageTransports('utf8');
    const proc = launcher._serverProcess;
    assert.ok(proc, 'vscode-languageclient spawned a process');
    assert.deepEqual(await exitOf(proc), { code: 0, signal: null });
    assert.deepEqual(fs.readFileSync(record, 'utf8').split('\n').filter(Boolean), ['serve', '--stdio']);
    assert.deepEqual(serverOptions.STDIO_TRANSPORT_ARGS, ['--stdio'], 'the arguments the extension logs are the ones the library appends');
  });

  test('the real factlint server, launched that way, answers initialize and shuts down', async (t) => {
    const server = await requireServer();
    if (server === undefined) {
      t.skip(SKIP_REASON);
      return;
    }
    const [command, ...args] = server.command as [string, ...string[]];
    const workspace = fs.mkdtempSync(path.join(tmp, 'ws-'));
    output.length = 0;
    const { launcher } = clientFor({ command, args, source: 'serverCommand' }, workspace);
    const transports = await launcher.createMessageTransports('utf8');
    const proc = launcher._serverProcess;
    assert.ok(proc, 'vscode-languageclient spawned a process');
    assert.deepEqual(proc.spawnargs.slice(-args.length - 1), [...args, '--stdio']);
    const exited = exitOf(proc);
    const context = (): string => `${[command, ...args, '--stdio'].join(' ')} (${server.origin})\n--- server output ---\n${output.join('')}`;
    const connection = createProtocolConnection(transports.reader, transports.writer);
    connection.listen();
    try {
      const rootUri = pathToFileURL(workspace).href;
      const answered = connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        clientInfo: { name: 'factlint-vscode-launch-test', version: '0.1.0' },
        rootUri,
        workspaceFolders: [{ uri: rootUri, name: 'ws' }],
        initializationOptions: {},
        capabilities: {},
      });
      const early = exited.then((e) => {
        throw new Error(`the server exited (code ${String(e.code)}, signal ${String(e.signal)}) before answering initialize: ${context()}`);
      });
      const init = (await timeout(Promise.race([answered, early]), INITIALIZE_TIMEOUT_MS, () => `initialize: ${context()}`)) as InitializeResult;
      assert.ok(init.capabilities.textDocumentSync !== undefined, `initialize result has textDocumentSync: ${JSON.stringify(init)}`);
      assert.equal(init.serverInfo?.name, 'factlint');
      await connection.sendNotification(InitializedNotification.type, {});
      await timeout(connection.sendRequest(ShutdownRequest.type), 30_000, () => `shutdown: ${context()}`);
      await connection.sendNotification(ExitNotification.type);
      assert.deepEqual(await timeout(exited, 30_000, () => `exit: ${context()}`), { code: 0, signal: null });
    } finally {
      connection.dispose();
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGKILL');
      }
    }
  });
});
