import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';

import { COMMANDS } from '../src/constants';
import { CONFIG_SECTION, SERVER_SETTING_KEYS, defaultSettings } from '../src/settings';
import { packageRoot } from './paths';

const { checkManifest } = require(path.join(packageRoot(), 'scripts', 'check-manifest.js')) as {
  checkManifest(manifest: unknown): string[];
};

interface Manifest {
  name: string;
  version: string;
  main: string;
  engines: { vscode: string };
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    configuration: { properties: Record<string, { default?: unknown }> };
  };
  devDependencies: Record<string, string>;
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
}

const root = packageRoot();
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;

describe('package.json', () => {
  test('contributes every setting and command (scripts/check-manifest.js)', () => {
    assert.deepEqual(checkManifest(manifest), []);
  });

  test('the checker notices missing contributions', () => {
    const broken = JSON.parse(JSON.stringify(manifest)) as Manifest;
    delete broken.contributes.configuration.properties['factlint.debounceMs'];
    broken.contributes.commands = broken.contributes.commands.filter((c) => c.command !== COMMANDS.reindexCorpus);
    assert.deepEqual(checkManifest(broken), ['missing setting factlint.debounceMs', 'missing command factlint.reindexCorpus']);
  });

  test('setting defaults match the defaults sent to the server', () => {
    const props = manifest.contributes.configuration.properties;
    const defaults = defaultSettings();
    for (const key of SERVER_SETTING_KEYS) {
      assert.deepEqual(props[`${CONFIG_SECTION}.${key}`]?.default, defaults[key], key);
    }
  });

  test('command ids match the ones the extension registers', () => {
    assert.deepEqual(manifest.contributes.commands.map((c) => c.command).sort(), Object.values(COMMANDS).sort());
  });

  test('@types/vscode is pinned to the engines.vscode minimum', () => {
    const min = manifest.engines.vscode.replace(/^\^/, '');
    assert.equal(manifest.devDependencies['@types/vscode'], min);
    assert.match(manifest.dependencies['vscode-languageclient'] ?? '', /^\^?9\./);
    assert.match(manifest.devDependencies['@vscode/vsce'] ?? '', /^\^?3\./);
  });

  test('the package script builds factlint-<version>.vsix offline', () => {
    assert.equal(manifest.name, 'factlint');
    assert.match(manifest.scripts['package'] ?? '', /vsce package --no-dependencies/);
    assert.equal(manifest.main, './dist/extension.js');
  });

  test('.vscodeignore keeps sources and node_modules out of the vsix', () => {
    const ignore = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const pattern of ['node_modules/**', 'src/**', 'test/**', 'out/**']) {
      assert.ok(ignore.includes(pattern), `.vscodeignore lacks ${pattern}`);
    }
  });
});
