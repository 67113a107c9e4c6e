/**
 * Minimal stand-ins for the `vscode` module and `vscode-languageclient/node`,
 * installed through Module._load so that src/extension.ts can be exercised in
 * plain Node. Only what the extension uses is implemented.
 */

import Module = require('node:module');

type Listener<T> = (e: T) => unknown;

export class FakeEventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>): { dispose(): void } => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) {
      l(e);
    }
  }
  get count(): number {
    return this.listeners.length;
  }
}

export interface FakeUri {
  scheme: string;
  fsPath: string;
  path: string;
  toString(): string;
}

export function fileUri(fsPath: string): FakeUri {
  return { scheme: 'file', fsPath, path: fsPath, toString: () => `file://${fsPath}` };
}

export interface ShownMessage {
  level: 'error' | 'warning' | 'info';
  message: string;
  items: string[];
}

export interface FakeStatusBarItem {
  text: string;
  tooltip: string | undefined;
  command: string | undefined;
  name: string | undefined;
  backgroundColor: unknown;
  visible: boolean;
  show(): void;
  hide(): void;
  dispose(): void;
}

/** Mutable state of the fake VS Code; tests set inputs and read outputs here. */
export class VscodeState {
  /** Settings of section `factlint`, by key (e.g. `serverCommand`). */
  settings: Record<string, unknown> = {};
  workspaceFolders: { uri: FakeUri; name: string; index: number }[] = [];
  extensions: Record<string, unknown> = {};
  /** What the next message boxes answer (by message level). */
  answers: Partial<Record<ShownMessage['level'], string>> = {};
  readonly messages: ShownMessage[] = [];
  readonly commands = new Map<string, (...args: unknown[]) => unknown>();
  readonly executed: unknown[][] = [];
  readonly statusItems: FakeStatusBarItem[] = [];
  readonly output: string[] = [];
  outputShown = 0;
  readonly configChanged = new FakeEventEmitter<{ affectsConfiguration(section: string): boolean }>();

  reset(): void {
    this.settings = {};
    this.workspaceFolders = [];
    this.extensions = {};
    this.answers = {};
    this.messages.length = 0;
    this.commands.clear();
    this.executed.length = 0;
    this.statusItems.length = 0;
    this.output.length = 0;
    this.outputShown = 0;
  }

  /** Fires onDidChangeConfiguration for the given changed keys (e.g. `factlint.debounceMs`). */
  changeSettings(changes: Record<string, unknown>): void {
    const keys = Object.keys(changes);
    for (const k of keys) {
      this.settings[k.replace(/^factlint\./, '')] = changes[k];
    }
    this.configChanged.fire({
      affectsConfiguration: (section: string) => keys.some((k) => k === section || k.startsWith(`${section}.`)),
    });
  }

  get statusText(): string | undefined {
    return this.statusItems[this.statusItems.length - 1]?.text;
  }
}

export function createVscodeMock(state: VscodeState): Record<string, unknown> {
  const showMessage =
    (level: ShownMessage['level']) =>
    (message: string, ...items: unknown[]): Promise<string | undefined> => {
      const labels = items.filter((i): i is string => typeof i === 'string');
      state.messages.push({ level, message, items: labels });
      const answer = state.answers[level];
      return Promise.resolve(answer !== undefined && labels.includes(answer) ? answer : undefined);
    };
  return {
    StatusBarAlignment: { Left: 1, Right: 2 },
    ThemeColor: class {
      constructor(readonly id: string) {}
    },
    Uri: {
      parse: (s: string): FakeUri => fileUri(s.replace(/^file:\/\//, '')),
      file: (p: string): FakeUri => fileUri(p),
    },
    window: {
      createOutputChannel: (name: string) => ({
        name,
        append: (s: string) => state.output.push(s),
        appendLine: (s: string) => state.output.push(s),
        show: () => {
          state.outputShown++;
        },
        clear: () => undefined,
        hide: () => undefined,
        replace: () => undefined,
        dispose: () => undefined,
      }),
      createStatusBarItem: (): FakeStatusBarItem => {
        const item: FakeStatusBarItem = {
          text: '',
          tooltip: undefined,
          command: undefined,
          name: undefined,
          backgroundColor: undefined,
          visible: false,
          show() {
            item.visible = true;
          },
          hide() {
            item.visible = false;
          },
          dispose() {
            item.visible = false;
          },
        };
        state.statusItems.push(item);
        return item;
      },
      showErrorMessage: showMessage('error'),
      showWarningMessage: showMessage('warning'),
      showInformationMessage: showMessage('info'),
    },
    commands: {
      registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
        if (state.commands.has(id)) {
          throw new Error(`command ${id} already registered`);
        }
        state.commands.set(id, fn);
        return { dispose: () => state.commands.delete(id) };
      },
      executeCommand: (...args: unknown[]) => {
        state.executed.push(args);
        return Promise.resolve(undefined);
      },
    },
    workspace: {
      get workspaceFolders() {
        return state.workspaceFolders.length > 0 ? state.workspaceFolders : undefined;
      },
      getWorkspaceFolder: (uri: FakeUri) => state.workspaceFolders.find((f) => uri.fsPath.startsWith(f.uri.fsPath)),
      getConfiguration: (section?: string) => {
        if (section !== 'factlint') {
          throw new Error(`unexpected configuration section ${String(section)}`);
        }
        return {
          get: <T>(key: string, dflt?: T): T | undefined => (key in state.settings ? (state.settings[key] as T) : dflt),
          has: (key: string) => key in state.settings,
          inspect: (key: string) => ({ key: `factlint.${key}`, globalValue: state.settings[key] }),
        };
      },
      onDidChangeConfiguration: state.configChanged.event,
    },
    extensions: {
      getExtension: (id: string) => state.extensions[id],
    },
  };
}

export enum FakeState {
  Stopped = 1,
  Starting = 3,
  Running = 2,
}

/** Records every LanguageClient the extension creates. */
export class LanguageClientRegistry {
  readonly clients: FakeLanguageClient[] = [];
  /** When set, `start()` rejects with this error. */
  startError: Error | undefined;
  reset(): void {
    this.clients.length = 0;
    this.startError = undefined;
  }
  get last(): FakeLanguageClient | undefined {
    return this.clients[this.clients.length - 1];
  }
}

export interface FakeServerOptions {
  command: string;
  args: string[];
  transport: number;
  options?: { cwd?: string; env?: Record<string, string | undefined> };
}

export class FakeLanguageClient {
  state: FakeState = FakeState.Stopped;
  readonly notificationHandlers = new Map<string, (params: unknown) => unknown>();
  readonly requests: { method: string; params: unknown }[] = [];
  readonly stateChanged = new FakeEventEmitter<{ oldState: FakeState; newState: FakeState }>();
  startCalls = 0;
  stopCalls = 0;
  disposeCalls = 0;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly serverOptions: FakeServerOptions,
    readonly clientOptions: any,
    private readonly registry: LanguageClientRegistry,
  ) {
    registry.clients.push(this);
  }

  private setState(newState: FakeState): void {
    const oldState = this.state;
    this.state = newState;
    this.stateChanged.fire({ oldState, newState });
  }

  onNotification(method: string, handler: (params: unknown) => unknown): { dispose(): void } {
    this.notificationHandlers.set(method, handler);
    return { dispose: () => this.notificationHandlers.delete(method) };
  }

  onDidChangeState = this.stateChanged.event;

  async start(): Promise<void> {
    this.startCalls++;
    this.setState(FakeState.Starting);
    await Promise.resolve();
    if (this.registry.startError !== undefined) {
      this.setState(FakeState.Stopped);
      throw this.registry.startError;
    }
    this.setState(FakeState.Running);
  }

  async stop(): Promise<void> {
    this.stopCalls++;
    this.setState(FakeState.Stopped);
  }

  async dispose(): Promise<void> {
    this.disposeCalls++;
    if (this.state !== FakeState.Stopped) {
      this.setState(FakeState.Stopped);
    }
  }

  sendRequest(method: string, params: unknown): Promise<unknown> {
    this.requests.push({ method, params });
    return Promise.resolve(null);
  }

  /** Simulates a server notification. */
  notify(method: string, params: unknown): void {
    const h = this.notificationHandlers.get(method);
    if (h === undefined) {
      throw new Error(`no handler for ${method}`);
    }
    h(params);
  }
}

export function createLanguageClientMock(registry: LanguageClientRegistry): Record<string, unknown> {
  return {
    LanguageClient: class extends FakeLanguageClient {
      constructor(id: string, name: string, serverOptions: FakeServerOptions, clientOptions: any) {
        super(id, name, serverOptions, clientOptions, registry);
      }
    },
    State: FakeState,
    TransportKind: { stdio: 0, ipc: 1, pipe: 2, socket: 3 },
    RevealOutputChannelOn: { Debug: 0, Info: 1, Warn: 2, Error: 3, Never: 4 },
    ErrorAction: { Continue: 1, Shutdown: 2 },
    CloseAction: { DoNotRestart: 1, Restart: 2 },
  };
}

/** Makes `require('vscode')` and `require('vscode-languageclient/node')` return the fakes. */
export function installModuleMocks(mocks: Record<string, unknown>): () => void {
  const mod = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const original = mod._load;
  mod._load = function (request: string, parent: unknown, isMain: boolean): unknown {
    if (Object.prototype.hasOwnProperty.call(mocks, request)) {
      return mocks[request];
    }
    return original.call(this, request, parent, isMain);
  };
  return () => {
    mod._load = original;
  };
}

/**
 * A module stand-in on which any property path exists (enough for module-load
 * time); `overrides` gives real values for some top-level properties (e.g.
 * `{ version: '1.82.0' }` for vscode-languageclient's version check).
 */
export function anything(overrides: Record<string | symbol, unknown> = {}): unknown {
  const fn = function () {
    return undefined;
  };
  return new Proxy(fn, {
    get: (_t, prop) =>
      Object.prototype.hasOwnProperty.call(overrides, prop)
        ? overrides[prop]
        : prop === Symbol.toPrimitive
          ? () => ''
          : prop === 'then'
            ? undefined
            : anything(),
    // Instances (also of subclasses: vscode-languageclient extends vscode classes) read
    // missing properties through the stand-in.
    construct: (_t, _args, newTarget) => Reflect.construct(Object, [], newTarget) as object,
  });
}
