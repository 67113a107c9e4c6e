import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  SERVER_SETTING_KEYS,
  classifyConfigurationChange,
  defaultServerSettings,
  mapConfigurationResults,
  normalizeSettings,
  toServerSettings,
} from '../src/settings';

describe('toServerSettings', () => {
  test('defaults when nothing is set', () => {
    const expected = { corpus: [], rules: [], severity: {}, disable: [], debounceMs: 300, checkFrequency: 'change' };
    assert.deepEqual(toServerSettings(undefined), expected);
    assert.deepEqual(toServerSettings({}), expected);
    assert.deepEqual(defaultServerSettings(), expected);
  });

  test('has exactly the server config keys', () => {
    assert.deepEqual(Object.keys(toServerSettings({})).sort(), [...SERVER_SETTING_KEYS].sort());
  });

  test('maps every key and drops client-only settings', () => {
    const raw = {
      corpus: ['articles/', '/abs/more.txt'],
      rules: ['rules/house.yaml'],
      severity: { 'quote-speaker': 'error', 'number-mismatch': 'Hint' },
      disable: ['date-mismatch'],
      debounceMs: 750,
      checkFrequency: 'save',
      serverCommand: ['factlint', 'serve'],
      pythonPath: '/usr/bin/python3',
      trace: { server: 'verbose' },
    };
    assert.deepEqual(toServerSettings(raw), {
      corpus: ['articles/', '/abs/more.txt'],
      rules: ['rules/house.yaml'],
      severity: { 'quote-speaker': 'error', 'number-mismatch': 'hint' },
      disable: ['date-mismatch'],
      debounceMs: 750,
      checkFrequency: 'save',
    });
  });

  test('expands variables in corpus and rules paths only', () => {
    const ctx = { workspaceFolder: '/ws', homeDir: '/home/me', env: {} };
    const s = toServerSettings({ corpus: ['${workspaceFolder}/sources', '~/news'], rules: ['${userHome}/r.yaml'], disable: ['${workspaceFolder}'] }, ctx);
    assert.deepEqual(s.corpus, ['/ws/sources', '/home/me/news']);
    assert.deepEqual(s.rules, ['/home/me/r.yaml']);
    assert.deepEqual(s.disable, ['${workspaceFolder}']);
  });

  test('invalid values fall back to defaults and are reported', () => {
    const { settings, problems } = normalizeSettings({
      corpus: 'single/path',
      rules: [1, '', 'ok.yaml', 'ok.yaml'],
      severity: { 'quote-speaker': 'fatal', 'date-mismatch': 'information', '': 'error' },
      disable: { no: true },
      debounceMs: -5,
      checkFrequency: 'always',
    });
    assert.deepEqual(settings, {
      corpus: ['single/path'],
      rules: ['ok.yaml'],
      severity: { 'date-mismatch': 'info' },
      disable: [],
      debounceMs: 300,
      checkFrequency: 'change',
    });
    assert.equal(problems.length, 7, problems.join('\n'));
  });

  test('rounds debounceMs and accepts 0', () => {
    assert.equal(toServerSettings({ debounceMs: 0 }).debounceMs, 0);
    assert.equal(toServerSettings({ debounceMs: 120.6 }).debounceMs, 121);
    assert.equal(toServerSettings({ debounceMs: '500' }).debounceMs, 300);
  });

  test('a non-object section is reported', () => {
    const { settings, problems } = normalizeSettings(['x']);
    assert.deepEqual(settings, defaultServerSettings());
    assert.equal(problems.length, 1);
  });
});

describe('mapConfigurationResults', () => {
  test('replaces section factlint results, passes others through', () => {
    const items = [{ section: 'factlint', scopeUri: 'file:///ws/a.md' }, { section: 'editor' }, { section: 'factlint.corpus' }, {}];
    const results = [{ debounceMs: 50, trace: { server: 'off' } }, { tabSize: 2 }, ['x'], null];
    const seen: unknown[] = [];
    const mapped = mapConfigurationResults(items, results, (raw, item) => {
      seen.push(item.scopeUri);
      return toServerSettings(raw);
    });
    assert.deepEqual(mapped, [{ ...defaultServerSettings(), debounceMs: 50 }, { tabSize: 2 }, ['x'], null]);
    assert.deepEqual(seen, ['file:///ws/a.md']);
  });

  test('an empty {} result (no settings) becomes the defaults', () => {
    assert.deepEqual(mapConfigurationResults([{ section: 'factlint' }], [{}], (raw) => toServerSettings(raw)), [defaultServerSettings()]);
  });
});

describe('classifyConfigurationChange', () => {
  const affects = (changed: string[]) => (section: string) => changed.some((c) => c === section || c.startsWith(`${section}.`));
  test('serverCommand and pythonPath restart the server', () => {
    assert.equal(classifyConfigurationChange(affects(['factlint.serverCommand'])), 'restart');
    assert.equal(classifyConfigurationChange(affects(['factlint.pythonPath', 'factlint.corpus'])), 'restart');
  });
  test('other factlint settings are only sent to the server', () => {
    for (const key of ['corpus', 'rules', 'severity', 'disable', 'debounceMs', 'checkFrequency', 'trace.server']) {
      assert.equal(classifyConfigurationChange(affects([`factlint.${key}`])), 'notify', key);
    }
  });
  test('unrelated settings are ignored', () => {
    assert.equal(classifyConfigurationChange(affects(['editor.fontSize'])), 'none');
  });
});
