/**
 * Guarded access to the Python extension's (ms-python.python) active
 * interpreter. Takes the `vscode.extensions` namespace as a parameter (typed
 * structurally) so it can be tested without VS Code.
 */

export const PYTHON_EXTENSION_ID = 'ms-python.python';

interface Disposable {
  dispose(): unknown;
}
type Event<T> = (listener: (e: T) => unknown) => Disposable;

/** The parts of the Python extension API that are used (all optional: older/newer versions differ). */
export interface PythonExtensionApi {
  ready?: Promise<void>;
  environments?: {
    getActiveEnvironmentPath?(resource?: unknown): { id?: string; path?: string } | undefined;
    resolveEnvironment?(env: unknown): Promise<{ executable?: { uri?: { fsPath?: string } } } | undefined>;
    onDidChangeActiveEnvironmentPath?: Event<unknown>;
  };
  settings?: {
    getExecutionDetails?(resource?: unknown): { execCommand?: string[] | undefined } | undefined;
    onDidChangeExecutionDetails?: Event<unknown>;
  };
}

export interface ExtensionLike {
  readonly isActive: boolean;
  readonly exports: unknown;
  activate(): Thenable<unknown>;
}

export interface ExtensionsLike {
  getExtension(id: string): ExtensionLike | undefined;
}

function withTimeout<T>(p: PromiseLike<T>, ms: number): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    Promise.resolve(p).then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}

/** Activates (if needed) and returns the Python extension API, or undefined. */
export async function getPythonApi(extensions: ExtensionsLike, timeoutMs = 10_000): Promise<PythonExtensionApi | undefined> {
  let ext: ExtensionLike | undefined;
  try {
    ext = extensions.getExtension(PYTHON_EXTENSION_ID);
  } catch {
    return undefined;
  }
  if (ext === undefined) {
    return undefined;
  }
  const api = ext.isActive ? ext.exports : await withTimeout(ext.activate(), timeoutMs);
  if (typeof api !== 'object' || api === null) {
    return undefined;
  }
  const typed = api as PythonExtensionApi;
  if (typed.ready !== undefined) {
    await withTimeout(typed.ready, timeoutMs);
  }
  return typed;
}

/**
 * The active interpreter as an exec command (`["/venv/bin/python"]`, or e.g.
 * `["conda", "run", "-n", "env", "python"]`), or undefined when the Python
 * extension is absent, fails, or has no interpreter selected.
 */
export async function getPythonInterpreter(extensions: ExtensionsLike, resource?: unknown, timeoutMs = 10_000): Promise<string[] | undefined> {
  const api = await getPythonApi(extensions, timeoutMs);
  if (api === undefined) {
    return undefined;
  }
  try {
    const envs = api.environments;
    if (envs?.getActiveEnvironmentPath !== undefined) {
      const active = envs.getActiveEnvironmentPath(resource);
      if (active !== undefined) {
        if (envs.resolveEnvironment !== undefined) {
          const resolved = await withTimeout(envs.resolveEnvironment(active), timeoutMs);
          const exe = resolved?.executable?.uri?.fsPath;
          if (typeof exe === 'string' && exe !== '') {
            return [exe];
          }
        }
        if (typeof active.path === 'string' && active.path !== '') {
          return [active.path];
        }
      }
    }
  } catch {
    // fall through to the older settings API
  }
  try {
    const details = api.settings?.getExecutionDetails?.(resource);
    const cmd = details?.execCommand;
    if (Array.isArray(cmd) && cmd.length > 0 && cmd.every((w) => typeof w === 'string') && cmd[0] !== '') {
      return [...cmd];
    }
  } catch {
    // no interpreter information
  }
  return undefined;
}

/** Subscribes to interpreter changes when the API offers it; returns undefined otherwise. */
export async function onPythonInterpreterChanged(extensions: ExtensionsLike, listener: () => void): Promise<Disposable | undefined> {
  const api = await getPythonApi(extensions);
  try {
    const event = api?.environments?.onDidChangeActiveEnvironmentPath ?? api?.settings?.onDidChangeExecutionDetails;
    return event?.(() => listener());
  } catch {
    return undefined;
  }
}
