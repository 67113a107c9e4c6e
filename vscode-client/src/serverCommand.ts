/**
 * Resolution of the command that starts `factlint serve`.
 *
 * This module does not import `vscode`: every input (settings, environment,
 * the Python extension's interpreter, file-system probes) is passed in as a
 * plain parameter so that the precedence rules can be unit-tested in Node.
 *
 * Precedence:
 *   1. `factlint.serverCommand` (array of strings or a single command-line string)
 *   2. `factlint.pythonPath`           -> `<python> -m factlint serve`
 *   3. the Python extension's active interpreter -> `<python> -m factlint serve`
 *   4. `factlint` on PATH               -> `factlint serve`
 * A candidate is only used when its executable exists (and, for Python
 * interpreters, when factlint is importable from it); otherwise the next one is
 * tried and the reason is recorded in `attempts`, so that the caller can tell
 * the user what was tried instead of starting a process that will crash.
 */

import * as path from 'node:path';

export type CommandSource = 'serverCommand' | 'pythonPath' | 'pythonExtension' | 'path';

export interface ServerCommand {
  /** Executable to spawn (absolute when it was found on PATH). */
  readonly command: string;
  readonly args: readonly string[];
  readonly source: CommandSource;
}

export interface Attempt {
  readonly source: CommandSource;
  /** Human-readable rendering of the candidate command. */
  readonly candidate: string;
  readonly ok: boolean;
  /** Why the candidate was rejected (only when `ok` is false). */
  readonly reason?: string;
}

export interface Resolution {
  /** The command to start, or undefined when no candidate works. */
  readonly command: ServerCommand | undefined;
  /** Every candidate considered, in order. */
  readonly attempts: readonly Attempt[];
}

/** Variables available for `${...}` / `~` substitution in settings. */
export interface SubstitutionContext {
  readonly workspaceFolder?: string | undefined;
  readonly homeDir?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface ResolveInputs extends SubstitutionContext {
  /** Raw value of `factlint.serverCommand` (unknown: settings are user-edited JSON). */
  readonly serverCommand: unknown;
  /** Raw value of `factlint.pythonPath`. */
  readonly pythonPath: unknown;
  /**
   * Returns the Python extension's active interpreter as an exec command
   * (e.g. `["/venv/bin/python"]` or `["conda", "run", "-n", "x", "python"]`),
   * or undefined when the extension is absent or has no interpreter. Only
   * called when the earlier candidates failed.
   */
  readonly pythonExtensionInterpreter?: (() => Promise<readonly string[] | undefined>) | undefined;
  readonly platform: NodeJS.Platform;
}

export interface ResolveProbes {
  /** True when `file` exists, is a regular file and is executable. */
  isExecutable(file: string): Promise<boolean>;
  /** True when `python -m factlint` can run with this interpreter command. */
  pythonHasFactlint(python: readonly string[]): Promise<boolean>;
}

export const FACTLINT_MODULE_ARGS: readonly string[] = ['-m', 'factlint', 'serve'];
export const FACTLINT_EXECUTABLE = 'factlint';

/**
 * Splits a command line into words. Supports single quotes, double quotes and
 * (outside Windows) backslash escapes; no other shell syntax.
 */
export function splitCommandLine(line: string, platform: NodeJS.Platform = process.platform): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  const backslashEscapes = platform !== 'win32';
  for (let i = 0; i < line.length; i++) {
    const ch = line.charAt(i);
    if (quote !== undefined) {
      if (ch === quote) {
        quote = undefined;
      } else if (ch === '\\' && quote === '"' && backslashEscapes && i + 1 < line.length) {
        const next = line.charAt(i + 1);
        if (next === '"' || next === '\\' || next === '$' || next === '`') {
          current += next;
          i++;
        } else {
          current += ch;
        }
      } else {
        current += ch;
      }
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && backslashEscapes && i + 1 < line.length) {
      current += line.charAt(i + 1);
      inWord = true;
      i++;
    } else if (/\s/.test(ch)) {
      if (inWord) {
        words.push(current);
        current = '';
        inWord = false;
      }
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote !== undefined) {
    throw new Error(`unterminated ${quote} quote in command line: ${line}`);
  }
  if (inWord) {
    words.push(current);
  }
  return words;
}

/**
 * Expands `~`, `${workspaceFolder}`, `${userHome}` and `${env:NAME}` in a
 * setting value. Unknown variables are left untouched.
 */
export function substituteVariables(value: string, ctx: SubstitutionContext): string {
  let out = value.replace(/\$\{(workspaceFolder|userHome|env:([A-Za-z_][A-Za-z0-9_]*))\}/g, (match, name: string, envName: string | undefined) => {
    if (envName !== undefined) {
      return ctx.env[envName] ?? '';
    }
    if (name === 'workspaceFolder') {
      return ctx.workspaceFolder ?? match;
    }
    return ctx.homeDir ?? match;
  });
  if (ctx.homeDir !== undefined && (out === '~' || out.startsWith('~/') || out.startsWith('~\\'))) {
    out = ctx.homeDir + out.slice(1);
  }
  return out;
}

/**
 * Normalises the raw `factlint.serverCommand` setting to a word list.
 * Returns undefined when the setting is unset/empty, and throws on values that
 * are neither a string nor an array of strings.
 */
export function parseServerCommandSetting(raw: unknown, ctx: SubstitutionContext, platform: NodeJS.Platform): string[] | undefined {
  if (raw === undefined || raw === null) {
    return undefined;
  }
  let words: string[];
  if (typeof raw === 'string') {
    words = splitCommandLine(raw.trim(), platform);
  } else if (Array.isArray(raw)) {
    if (!raw.every((w): w is string => typeof w === 'string')) {
      throw new Error('factlint.serverCommand must be a string or an array of strings');
    }
    if (raw.length > 0 && raw[0]?.trim() === '') {
      throw new Error('factlint.serverCommand: the first element (the executable) is empty');
    }
    words = raw;
  } else {
    throw new Error('factlint.serverCommand must be a string or an array of strings');
  }
  if (words.length === 0) {
    return undefined;
  }
  return words.map((w) => substituteVariables(w, ctx));
}

function hasPathSeparator(file: string, platform: NodeJS.Platform): boolean {
  return file.includes('/') || (platform === 'win32' && file.includes('\\'));
}

/**
 * Finds an executable the way a shell would: names containing a path
 * separator are checked as-is (relative ones against `cwd`), bare names are
 * searched on PATH (with PATHEXT on Windows). Returns the path to spawn.
 */
export async function findExecutable(
  file: string,
  opts: { env: Readonly<Record<string, string | undefined>>; platform: NodeJS.Platform; cwd?: string | undefined },
  isExecutable: (file: string) => Promise<boolean>,
): Promise<string | undefined> {
  if (file === '') {
    return undefined;
  }
  const p = opts.platform === 'win32' ? path.win32 : path.posix;
  const exts =
    opts.platform === 'win32'
      ? ['', ...(opts.env['PATHEXT'] ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((e) => e !== '')]
      : [''];
  const candidates = (base: string): string[] =>
    exts.map((ext) => (ext !== '' && base.toLowerCase().endsWith(ext.toLowerCase()) ? '' : base + ext)).filter((c) => c !== '');
  if (p.isAbsolute(file) || hasPathSeparator(file, opts.platform)) {
    const full = p.isAbsolute(file) || opts.cwd === undefined ? file : p.resolve(opts.cwd, file);
    for (const c of candidates(full)) {
      if (await isExecutable(c)) {
        return c;
      }
    }
    return undefined;
  }
  const pathVar = opts.env['PATH'] ?? opts.env['Path'] ?? '';
  const sep = opts.platform === 'win32' ? ';' : ':';
  for (const dir of pathVar.split(sep)) {
    if (dir === '') {
      continue;
    }
    for (const c of candidates(p.join(dir, file))) {
      if (await isExecutable(c)) {
        return c;
      }
    }
  }
  return undefined;
}

function render(words: readonly string[]): string {
  return words.map((w) => (/[\s"']/.test(w) || w === '' ? JSON.stringify(w) : w)).join(' ');
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Resolves the server command; see the module comment for the precedence. */
export async function resolveServerCommand(inputs: ResolveInputs, probes: ResolveProbes): Promise<Resolution> {
  const attempts: Attempt[] = [];
  const find = (file: string): Promise<string | undefined> =>
    findExecutable(file, { env: inputs.env, platform: inputs.platform, cwd: inputs.workspaceFolder }, probes.isExecutable);

  // 1. factlint.serverCommand
  let configured: string[] | undefined;
  try {
    configured = parseServerCommandSetting(inputs.serverCommand, inputs, inputs.platform);
  } catch (err) {
    attempts.push({ source: 'serverCommand', candidate: JSON.stringify(inputs.serverCommand), ok: false, reason: errorMessage(err) });
  }
  if (configured !== undefined) {
    const [exe, ...args] = configured as [string, ...string[]];
    const found = await find(exe);
    if (found !== undefined) {
      attempts.push({ source: 'serverCommand', candidate: render(configured), ok: true });
      return { command: { command: found, args, source: 'serverCommand' }, attempts };
    }
    attempts.push({ source: 'serverCommand', candidate: render(configured), ok: false, reason: `executable not found: ${exe}` });
  }

  // 2. / 3. Python interpreters
  const tryPython = async (source: CommandSource, python: readonly string[]): Promise<ServerCommand | undefined> => {
    const candidate = render([...python, ...FACTLINT_MODULE_ARGS]);
    const [exe, ...rest] = python as [string, ...string[]];
    const found = await find(exe);
    if (found === undefined) {
      attempts.push({ source, candidate, ok: false, reason: `interpreter not found: ${exe}` });
      return undefined;
    }
    const interpreter = [found, ...rest];
    if (!(await probes.pythonHasFactlint(interpreter))) {
      attempts.push({ source, candidate, ok: false, reason: `factlint is not installed for ${render(interpreter)}` });
      return undefined;
    }
    attempts.push({ source, candidate, ok: true });
    return { command: found, args: [...rest, ...FACTLINT_MODULE_ARGS], source };
  };

  if (typeof inputs.pythonPath === 'string' && inputs.pythonPath.trim() !== '') {
    const python = substituteVariables(inputs.pythonPath.trim(), inputs);
    const cmd = await tryPython('pythonPath', [python]);
    if (cmd !== undefined) {
      return { command: cmd, attempts };
    }
  }

  if (inputs.pythonExtensionInterpreter !== undefined) {
    let python: readonly string[] | undefined;
    try {
      python = await inputs.pythonExtensionInterpreter();
    } catch (err) {
      attempts.push({ source: 'pythonExtension', candidate: '(Python extension interpreter)', ok: false, reason: errorMessage(err) });
    }
    if (python !== undefined && python.length > 0 && python[0] !== '') {
      const cmd = await tryPython('pythonExtension', python);
      if (cmd !== undefined) {
        return { command: cmd, attempts };
      }
    }
  }

  // 4. factlint on PATH
  const onPath = await find(FACTLINT_EXECUTABLE);
  if (onPath !== undefined) {
    attempts.push({ source: 'path', candidate: `${FACTLINT_EXECUTABLE} serve`, ok: true });
    return { command: { command: onPath, args: ['serve'], source: 'path' }, attempts };
  }
  attempts.push({ source: 'path', candidate: `${FACTLINT_EXECUTABLE} serve`, ok: false, reason: `${FACTLINT_EXECUTABLE} not found on PATH` });
  return { command: undefined, attempts };
}

/** One line per attempt, for the output channel and the error notification. */
export function describeAttempts(attempts: readonly Attempt[]): string[] {
  const label: Record<CommandSource, string> = {
    serverCommand: 'factlint.serverCommand',
    pythonPath: 'factlint.pythonPath',
    pythonExtension: 'Python extension interpreter',
    path: 'PATH',
  };
  return attempts.map((a) => `${a.ok ? 'using' : 'skipped'} ${label[a.source]}: ${a.candidate}${a.ok ? '' : ` (${a.reason ?? 'failed'})`}`);
}
