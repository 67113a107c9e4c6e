/**
 * Smoke test of the esbuild bundle (dist/extension.js, what the .vsix ships):
 * it loads with only `vscode` external, and exports activate/deactivate.
 * `npm test` builds the bundle first (pretest).
 */

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import { anything, installModuleMocks } from './mocks';
import { packageRoot } from './paths';

const BUILTINS = new Set(['child_process', 'crypto', 'fs', 'net', 'os', 'path', 'util', 'url', 'events', 'stream', 'buffer']);

test('dist/extension.js requires nothing but vscode and Node built-ins', () => {
  const bundle = path.join(packageRoot(), 'dist', 'extension.js');
  assert.ok(fs.existsSync(bundle), `${bundle} exists (run npm run build)`);
  const text = fs.readFileSync(bundle, 'utf8');
  const required = new Set([...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => (m[1] ?? '').replace(/^node:/, '')));
  for (const r of required) {
    assert.ok(r === 'vscode' || BUILTINS.has(r), `unexpected runtime require("${r}") in the bundle`);
  }
  assert.ok(text.includes('factlint/status'), 'the bundle contains the extension code');
});

test('dist/extension.js loads and exports activate/deactivate', () => {
  const bundle = path.join(packageRoot(), 'dist', 'extension.js');
  const uninstall = installModuleMocks({ vscode: anything() });
  try {
    const mod = require(bundle) as { activate?: unknown; deactivate?: unknown };
    assert.equal(typeof mod.activate, 'function');
    assert.equal(typeof mod.deactivate, 'function');
  } finally {
    uninstall();
  }
});
