import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  SERVER_SETTING_KEYS,
  classifyConfigurationChange,
  defaultSettings,
  isUserSet,
  mapConfigurationResults,
  normalizeSettings,
  toServerSettings,
  unsetServerSettings,
} from '../src/settings';

const UNSET = { corpus: null, rules: null, severity: null, disable: null, debounceMs: null, checkFrequency: null, showSupported: null };
// what a settings object becomes with nothing set: showSupported is the extension's to default
const SENT = { ...UNSET, showSupported: true };

describe('toServerSettings', () => {
  test('nothing set: every key present and null (the server decides)', () => {
    assert.deepEqual(toServerSettings(undefined), UNSET);
    assert.deepEqual(toServerSettings({}), SENT);
    assert.deepEqual(unsetServerSettings(), UNSET);
  });

  test('has exactly the server config keys', () => {
    assert.deepEqual(Object.keys(toServerSettings({})).sort(), [...SERVER_SETTING_KEYS].sort());
    assert.deepEqual(Object.keys(defaultSettings()).sort(), [...SERVER_SETTING_KEYS].sort());
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
      showSupported: true,
    });
  });

  test('showSupported is sent whether or not the user set it, on unless turned off', () => {
    const nobody = () => false;
    assert.equal(toServerSettings({ showSupported: true }, undefined, nobody).showSupported, true);
    assert.equal(toServerSettings({ showSupported: false }, undefined, nobody).showSupported, false);
    assert.equal(toServerSettings({}).showSupported, true);
    const { settings, problems } = normalizeSettings({ showSupported: 'yes' });
    assert.equal(settings.showSupported, true);
    assert.equal(problems.length, 1);
  });

  test('values that are only VS Code defaults are sent as null', () => {
    const raw = { ...defaultSettings(), debounceMs: 100 };
    const userSet = new Set(['debounceMs', 'disable']);
    assert.deepEqual(
      toServerSettings({ ...raw, disable: [] }, undefined, (k) => userSet.has(k)),
      { ...SENT, debounceMs: 100, disable: [] }, // an explicit [] is kept: it overrides a project file
    );
  });

  test('expands variables in corpus and rules paths only', () => {
    const ctx = { workspaceFolder: '/ws', homeDir: '/home/me', env: {} };
    const s = toServerSettings({ corpus: ['${workspaceFolder}/sources', '~/news'], rules: ['${userHome}/r.yaml'], disable: ['${workspaceFolder}'] }, ctx);
    assert.deepEqual(s.corpus, ['/ws/sources', '/home/me/news']);
    assert.deepEqual(s.rules, ['/home/me/r.yaml']);
    assert.deepEqual(s.disable, ['${workspaceFolder}']);
  });

  test('invalid values become null and are reported', () => {
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
      disable: null,
      debounceMs: null,
      checkFrequency: null,
      showSupported: true,
    });
    assert.equal(problems.length, 7, problems.join('\n'));
  });

  test('rounds debounceMs and accepts 0', () => {
    assert.equal(toServerSettings({ debounceMs: 0 }).debounceMs, 0);
    assert.equal(toServerSettings({ debounceMs: 120.6 }).debounceMs, 121);
    assert.equal(toServerSettings({ debounceMs: '500' }).debounceMs, null);
  });

  test('a non-object section is reported', () => {
    const { settings, problems } = normalizeSettings(['x']);
    assert.deepEqual(settings, UNSET);
    assert.equal(problems.length, 1);
  });
});

describe('isUserSet', () => {
  test('any user/workspace/folder (language) value counts, the default does not', () => {
    assert.equal(isUserSet(undefined), false);
    assert.equal(isUserSet({}), false);
    assert.equal(isUserSet({ globalValue: 5 }), true);
    assert.equal(isUserSet({ workspaceValue: [] }), true);
    assert.equal(isUserSet({ workspaceFolderValue: 'save' }), true);
    assert.equal(isUserSet({ workspaceLanguageValue: {} }), true);
    assert.equal(isUserSet({ defaultValue: 300 } as never), false);
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
    assert.deepEqual(mapped, [{ ...SENT, debounceMs: 50 }, { tabSize: 2 }, ['x'], null]);
    assert.deepEqual(seen, ['file:///ws/a.md']);
  });
});

describe('classifyConfigurationChange', () => {
  const affects = (changed: string[]) => (section: string) => changed.some((c) => c === section || c.startsWith(`${section}.`));
  test('serverCommand and pythonPath restart the server', () => {
    assert.equal(classifyConfigurationChange(affects(['factlint.serverCommand'])), 'restart');
    assert.equal(classifyConfigurationChange(affects(['factlint.pythonPath', 'factlint.corpus'])), 'restart');
  });
  test('other factlint settings are only sent to the server', () => {
    for (const key of ['corpus', 'rules', 'severity', 'disable', 'debounceMs', 'checkFrequency', 'showSupported', 'trace.server']) {
      assert.equal(classifyConfigurationChange(affects([`factlint.${key}`])), 'notify', key);
    }
  });
  test('unrelated settings are ignored', () => {
    assert.equal(classifyConfigurationChange(affects(['editor.fontSize'])), 'none');
  });
});
