/**
 * VS Code entry point: wires the pure modules (server command resolution,
 * settings mapping, status formatting, restart policy) to the VS Code API and
 * vscode-languageclient.
 */

import * as os from 'node:os';

import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

import { CLIENT_ID, CLIENT_NAME, COMMANDS, DOCUMENT_SELECTOR, INSTALL_HINT, SERVER_REINDEX_COMMAND } from './constants';
import { nodeProbes } from './probes';
import { getPythonInterpreter, onPythonInterpreterChanged } from './pythonExtension';
import { RestartPolicy } from './restartPolicy';
import { describeAttempts, resolveServerCommand, type Resolution, type ServerCommand, type SubstitutionContext } from './serverCommand';
import { buildServerOptions, launchCommandLine } from './serverOptions';
import {
  CONFIG_SECTION,
  SERVER_SETTING_KEYS,
  classifyConfigurationChange,
  isUserSet,
  mapConfigurationResults,
  normalizeSettings,
  type ServerSettings,
} from './settings';
import { STATUS_NOTIFICATION, formatStatus, parseStatusParams, type ClientStatus } from './status';

/** What `activate` returns (used by tests and by other extensions). */
export interface FactlintApi {
  /** Resolves when the current start/restart attempt has finished (successfully or not). */
  ready(): Promise<void>;
  /** The running client, if any. */
  client(): LanguageClient | undefined;
  /** The command the server was started with, if any. */
  serverCommand(): ServerCommand | undefined;
}

function firstWorkspaceFolder(): vscode.WorkspaceFolder | undefined {
  const folders = vscode.workspace.workspaceFolders;
  return folders !== undefined && folders.length > 0 ? folders[0] : undefined;
}

function substitutionContext(folder: vscode.WorkspaceFolder | undefined): SubstitutionContext {
  return {
    workspaceFolder: folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined,
    homeDir: os.homedir(),
    env: process.env,
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

class FactlintController implements vscode.Disposable, FactlintApi {
  private readonly output: vscode.OutputChannel;
  private readonly statusItem: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private languageClient: LanguageClient | undefined;
  /** Disposables tied to the current client (state listeners). */
  private clientDisposables: vscode.Disposable[] = [];
  /** Whether the current server has sent a factlint/status notification yet. */
  private serverStatusSeen = false;
  private current: ServerCommand | undefined;
  /** Serialises start/stop so that restarts triggered in quick succession don't overlap. */
  private queue: Promise<void> = Promise.resolve();
  private stopping = false;
  private disposed = false;
  private restartPolicy = new RestartPolicy();
  private pythonWatch: { dispose(): unknown } | undefined;
  private pythonWatchRequested = false;

  constructor() {
    this.output = vscode.window.createOutputChannel(CLIENT_NAME);
    this.statusItem = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 100);
    this.statusItem.name = 'factlint';
    this.statusItem.command = COMMANDS.showOutput;
    this.disposables.push(this.output, this.statusItem);
  }

  activate(): void {
    this.disposables.push(
      vscode.commands.registerCommand(COMMANDS.restartServer, () => this.restart()),
      vscode.commands.registerCommand(COMMANDS.reindexCorpus, () => this.reindex()),
      vscode.commands.registerCommand(COMMANDS.showOutput, () => this.output.show(true)),
      vscode.workspace.onDidChangeConfiguration((e) => this.onConfigurationChanged(e)),
    );
    this.enqueue(() => this.start());
  }

  ready(): Promise<void> {
    return this.queue;
  }

  client(): LanguageClient | undefined {
    return this.languageClient;
  }

  serverCommand(): ServerCommand | undefined {
    return this.current;
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(op).catch((err: unknown) => this.log(`unexpected error: ${errorText(err)}`));
    return this.queue;
  }

  private log(line: string): void {
    this.output.appendLine(`[factlint] ${line}`);
  }

  private setStatus(status: ClientStatus): void {
    const view = formatStatus(status);
    this.statusItem.text = view.text;
    this.statusItem.tooltip = view.tooltip;
    this.statusItem.backgroundColor = view.problem ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.statusItem.show();
  }

  /**
   * The `factlint` settings for `scope`, mapped for the server (used for
   * initializationOptions and for workspace/configuration answers). Keys the
   * user has not set are sent as null so the server's project file and
   * defaults apply.
   */
  private serverSettings(scope: vscode.Uri | undefined): ServerSettings {
    const config = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
    const raw: Record<string, unknown> = {};
    const userSet = new Set<string>();
    for (const key of SERVER_SETTING_KEYS) {
      raw[key] = config.get<unknown>(key);
      if (isUserSet(config.inspect<unknown>(key))) {
        userSet.add(key);
      }
    }
    const folder = scope !== undefined ? vscode.workspace.getWorkspaceFolder(scope) ?? firstWorkspaceFolder() : firstWorkspaceFolder();
    const { settings, problems } = normalizeSettings(raw, substitutionContext(folder), (key) => userSet.has(key));
    for (const p of problems) {
      this.log(`settings: ${p}`);
    }
    return settings;
  }

  private async resolve(): Promise<Resolution> {
    const folder = firstWorkspaceFolder();
    const config = vscode.workspace.getConfiguration(CONFIG_SECTION, folder?.uri);
    return resolveServerCommand(
      {
        serverCommand: config.get<unknown>('serverCommand'),
        pythonPath: config.get<unknown>('pythonPath'),
        pythonExtensionInterpreter: async () => {
          this.watchPythonInterpreter();
          return getPythonInterpreter(vscode.extensions, folder?.uri);
        },
        platform: process.platform,
        ...substitutionContext(folder),
      },
      nodeProbes,
    );
  }

  /** Restart when the Python extension's interpreter changes (it may be the one we use). */
  private watchPythonInterpreter(): void {
    if (this.pythonWatchRequested) {
      return;
    }
    this.pythonWatchRequested = true;
    void onPythonInterpreterChanged(vscode.extensions, () => {
      const source = this.current?.source;
      if (source === undefined || source === 'pythonExtension' || source === 'path') {
        this.log('Python interpreter changed; restarting the server');
        void this.restart();
      }
    }).then((d) => {
      if (d !== undefined) {
        if (this.disposed) {
          d.dispose();
        } else {
          this.pythonWatch = d;
        }
      }
    });
  }

  private async start(): Promise<void> {
    if (this.disposed) {
      return;
    }
    this.setStatus({ kind: 'starting' });
    const resolution = await this.resolve();
    for (const line of describeAttempts(resolution.attempts)) {
      this.log(line);
    }
    const cmd = resolution.command;
    if (cmd === undefined) {
      this.current = undefined;
      this.setStatus({ kind: 'notInstalled' });
      this.log(INSTALL_HINT);
      void this.notifyNotInstalled();
      return;
    }
    this.current = cmd;

    const folder = firstWorkspaceFolder();
    // TransportKind.stdio: vscode-languageclient appends `--stdio`, which `factlint serve` accepts.
    const cwd = folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
    const executable = buildServerOptions(cmd, cwd, process.env);
    this.log(`starting: ${launchCommandLine(executable).join(' ')}`);
    const serverOptions: ServerOptions = executable;
    const policy = this.restartPolicy;
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR.map((s) => ({ ...s })),
      synchronize: { configurationSection: CONFIG_SECTION },
      initializationOptions: this.serverSettings(folder?.uri),
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationFailedHandler: (err) => {
        this.log(`initialization failed: ${errorText(err)}`);
        return false; // never retry automatically
      },
      errorHandler: {
        error: (_error, _message, count) =>
          policy.onError(count) === 'continue' ? { action: ErrorAction.Continue } : { action: ErrorAction.Shutdown },
        closed: () => {
          const decision = policy.onClosed();
          if (decision.action === 'restart') {
            this.log('server connection closed; restarting');
            return { action: CloseAction.Restart, handled: true };
          }
          this.setStatus({ kind: 'failed', message: 'the server keeps crashing' });
          return { action: CloseAction.DoNotRestart, message: decision.message };
        },
      },
      middleware: {
        workspace: {
          configuration: async (params, token, next) => {
            const results = await next(params, token);
            if (!Array.isArray(results)) {
              return results; // a ResponseError
            }
            return mapConfigurationResults(params.items, results, (_raw, item) =>
              this.serverSettings(typeof item.scopeUri === 'string' ? vscode.Uri.parse(item.scopeUri) : folder?.uri),
            );
          },
        },
      },
    };

    const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    this.languageClient = client;
    this.serverStatusSeen = false;
    client.onNotification(STATUS_NOTIFICATION, (raw: unknown) => {
      const params = parseStatusParams(raw);
      if (params === undefined) {
        this.log(`ignored malformed ${STATUS_NOTIFICATION} notification: ${JSON.stringify(raw)}`);
        return;
      }
      this.serverStatusSeen = true;
      this.setStatus({ kind: 'server', params });
    });
    this.clientDisposables.push(
      client.onDidChangeState((e) => {
        if (this.languageClient !== client) {
          return;
        }
        if (e.newState === State.Stopped && !this.stopping) {
          this.setStatus({ kind: 'stopped' });
        } else if (e.newState === State.Running && !this.serverStatusSeen) {
          this.setStatus({ kind: 'server', params: { state: 'ready', message: 'factlint: server running' } });
        }
      }),
    );
    try {
      await client.start();
      this.log('server started');
    } catch (err) {
      // vscode-languageclient has already shown an error notification with "Go to output".
      this.log(`failed to start the server: ${errorText(err)}`);
      this.setStatus({ kind: 'failed', message: errorText(err) });
    }
  }

  private async stop(): Promise<void> {
    const client = this.languageClient;
    this.languageClient = undefined;
    for (const d of this.clientDisposables.splice(0)) {
      d.dispose();
    }
    if (client === undefined) {
      return;
    }
    this.stopping = true;
    try {
      if (client.state !== State.Stopped) {
        await client.stop(5000);
      }
    } catch (err) {
      this.log(`error while stopping the server: ${errorText(err)}`);
    } finally {
      this.stopping = false;
      try {
        await client.dispose(2000);
      } catch {
        // already stopped
      }
    }
  }

  restart(): Promise<void> {
    this.restartPolicy.reset();
    return this.enqueue(async () => {
      this.log('restarting the server');
      await this.stop();
      await this.start();
    });
  }

  private async reindex(): Promise<void> {
    await this.queue;
    const client = this.languageClient;
    if (client === undefined || client.state !== State.Running) {
      const choice = await vscode.window.showWarningMessage('The factlint server is not running.', 'Restart Server', 'Show Output');
      if (choice === 'Restart Server') {
        await this.restart();
      } else if (choice === 'Show Output') {
        this.output.show(true);
      }
      return;
    }
    this.setStatus({ kind: 'server', params: { state: 'indexing', message: 'factlint: re-indexing the corpus' } });
    try {
      await client.sendRequest('workspace/executeCommand', { command: SERVER_REINDEX_COMMAND, arguments: [] });
    } catch (err) {
      this.log(`re-index failed: ${errorText(err)}`);
      this.setStatus({ kind: 'failed', message: `re-index failed: ${errorText(err)}` });
      void vscode.window.showErrorMessage(`factlint: re-index failed: ${errorText(err)}`);
    }
  }

  /** One notification (no loop): the server is only re-resolved on restart or a settings change. */
  private async notifyNotInstalled(): Promise<void> {
    const openSettings = 'Open Settings';
    const showOutput = 'Show Output';
    const choice = await vscode.window.showErrorMessage(INSTALL_HINT, openSettings, showOutput);
    if (choice === openSettings) {
      await vscode.commands.executeCommand('workbench.action.openSettings', `${CONFIG_SECTION}.serverCommand`);
    } else if (choice === showOutput) {
      this.output.show(true);
    }
  }

  private onConfigurationChanged(e: vscode.ConfigurationChangeEvent): void {
    const kind = classifyConfigurationChange((section) => e.affectsConfiguration(section));
    if (kind === 'restart') {
      this.log('factlint.serverCommand/pythonPath changed; restarting the server');
      void this.restart();
    }
    // 'notify': vscode-languageclient sends workspace/didChangeConfiguration
    // itself (synchronize.configurationSection); the server then pulls the new
    // values through workspace/configuration, so no restart is needed.
  }

  async shutdown(): Promise<void> {
    this.disposed = true;
    await this.queue;
    await this.stop();
  }

  dispose(): void {
    this.disposed = true;
    this.pythonWatch?.dispose();
    for (const d of this.disposables.splice(0)) {
      d.dispose();
    }
  }
}

let controller: FactlintController | undefined;

export function activate(context: vscode.ExtensionContext): FactlintApi {
  const c = new FactlintController();
  controller = c;
  context.subscriptions.push(c);
  c.activate();
  return c;
}

export async function deactivate(): Promise<void> {
  const c = controller;
  controller = undefined;
  if (c !== undefined) {
    await c.shutdown();
  }
}
