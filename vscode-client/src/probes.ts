/**
 * Real (Node) implementations of the probes used by `resolveServerCommand`.
 * No `vscode` import here either.
 */

import { execFile } from 'node:child_process';
import { constants as fsConstants, promises as fs } from 'node:fs';

import type { ResolveProbes } from './serverCommand';

/**
 * Python snippet that exits 0 when `python -m factlint` would work, without
 * importing factlint itself (importing it may load spaCy, which takes seconds):
 * the package must be findable and contain a `__main__` module.
 */
export const PYTHON_PROBE = [
  'import importlib.util, os, sys',
  "s = importlib.util.find_spec('factlint')",
  'locs = list(s.submodule_search_locations or []) if s else []',
  "sys.exit(0 if any(os.path.exists(os.path.join(d, '__main__.py')) or os.path.exists(os.path.join(d, '__main__.pyc')) for d in locs) else 1)",
].join('\n');

export async function isExecutable(file: string): Promise<boolean> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) {
      return false;
    }
    if (process.platform === 'win32') {
      return true;
    }
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function pythonHasFactlint(python: readonly string[], timeoutMs = 15000): Promise<boolean> {
  const [exe, ...rest] = python as [string, ...string[]];
  return new Promise((resolve) => {
    try {
      execFile(exe, [...rest, '-c', PYTHON_PROBE], { timeout: timeoutMs, windowsHide: true }, (err) => resolve(err === null));
    } catch {
      resolve(false);
    }
  });
}

export const nodeProbes: ResolveProbes = { isExecutable, pythonHasFactlint: (python) => pythonHasFactlint(python) };
