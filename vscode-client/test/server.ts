/**
 * Locating the real `factlint serve` for the tests that spawn it (e2e.test.ts,
 * launch.test.ts), and a promise timeout.
 *
 * The server command is taken from, in order:
 *   - env FACTLINT_SERVER_COMMAND (a JSON array or a command line; a single
 *     word gets `serve` appended),
 *   - ../.venv/bin/factlint (the repository's virtualenv),
 *   - `factlint` on PATH.
 * When none exists the suites are skipped locally but FAIL when env CI is set.
 */

import * as path from 'node:path';

import { isExecutable } from '../src/probes';
import { findExecutable, splitCommandLine } from '../src/serverCommand';
import { packageRoot } from './paths';

export interface FoundServer {
  command: string[];
  origin: string;
}

export async function findServer(): Promise<FoundServer | undefined> {
  const fromEnv = process.env['FACTLINT_SERVER_COMMAND']?.trim();
  if (fromEnv !== undefined && fromEnv !== '') {
    const words = fromEnv.startsWith('[') ? (JSON.parse(fromEnv) as string[]) : splitCommandLine(fromEnv);
    return { command: words.length === 1 ? [...words, 'serve'] : words, origin: 'FACTLINT_SERVER_COMMAND' };
  }
  const root = packageRoot();
  const venv =
    process.platform === 'win32'
      ? path.resolve(root, '..', '.venv', 'Scripts', 'factlint.exe')
      : path.resolve(root, '..', '.venv', 'bin', 'factlint');
  if (await isExecutable(venv)) {
    return { command: [venv, 'serve'], origin: venv };
  }
  const onPath = await findExecutable('factlint', { env: process.env, platform: process.platform }, isExecutable);
  if (onPath !== undefined) {
    return { command: [onPath, 'serve'], origin: `PATH (${onPath})` };
  }
  return undefined;
}

function isCi(): boolean {
  const ci = process.env['CI'];
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

export const SKIP_REASON =
  'factlint server not found (set FACTLINT_SERVER_COMMAND, create ../.venv with factlint, or put factlint on PATH); with CI set this is a failure';

/** Finds the server; throws under CI when there is none, returns undefined (skip) otherwise. */
export async function requireServer(): Promise<FoundServer | undefined> {
  const server = await findServer();
  if (server === undefined && isCi()) {
    throw new Error('CI is set but no factlint server was found: looked at env FACTLINT_SERVER_COMMAND, ../.venv/bin/factlint and `factlint` on PATH');
  }
  return server;
}

export function timeout<T>(p: Promise<T>, ms: number, what: () => string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000}s: ${what()}`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
