import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { RestartPolicy } from '../src/restartPolicy';
import { formatStatus, parseStatusParams } from '../src/status';

describe('factlint/status', () => {
  test('parses valid params and rejects malformed ones', () => {
    assert.deepEqual(parseStatusParams({ state: 'indexing', facts: 12, message: 'Indexing 5 files' }), { state: 'indexing', facts: 12, message: 'Indexing 5 files' });
    assert.deepEqual(parseStatusParams({ state: 'ready', facts: -1, message: '' }), { state: 'ready' });
    assert.deepEqual(parseStatusParams({ state: 'error', facts: 0, message: 'corpus path missing' }), { state: 'error', facts: 0, message: 'corpus path missing' });
    assert.equal(parseStatusParams({ state: 'busy' }), undefined);
    assert.equal(parseStatusParams(null), undefined);
    assert.equal(parseStatusParams('ready'), undefined);
  });

  test('indexing shows a spinner', () => {
    const v = formatStatus({ kind: 'server', params: { state: 'indexing', facts: 0, message: 'Indexing corpus' } });
    assert.equal(v.text, '$(sync~spin) factlint: indexing…');
    assert.equal(v.tooltip, 'Indexing corpus');
    assert.equal(v.problem, false);
    assert.equal(formatStatus({ kind: 'server', params: { state: 'indexing', facts: 40 } }).text, '$(sync~spin) factlint: indexing… (40 facts)');
  });

  test('ready shows the fact count', () => {
    assert.equal(formatStatus({ kind: 'server', params: { state: 'ready', facts: 123 } }).text, 'factlint: 123 facts');
    assert.equal(formatStatus({ kind: 'server', params: { state: 'ready', facts: 1 } }).text, 'factlint: 1 fact');
    assert.equal(formatStatus({ kind: 'server', params: { state: 'ready', facts: 12345 } }).text, 'factlint: 12,345 facts');
    assert.equal(formatStatus({ kind: 'server', params: { state: 'ready' } }).text, 'factlint: ready');
  });

  test('error state is a problem', () => {
    const v = formatStatus({ kind: 'server', params: { state: 'error', facts: 0, message: 'no corpus' } });
    assert.equal(v.text, '$(error) factlint: error');
    assert.equal(v.tooltip, 'no corpus');
    assert.equal(v.problem, true);
  });

  test('client states', () => {
    assert.match(formatStatus({ kind: 'starting' }).text, /starting/);
    const ni = formatStatus({ kind: 'notInstalled' });
    assert.match(ni.text, /not installed/);
    assert.match(ni.tooltip, /pip install factlint/);
    assert.equal(ni.problem, true);
    assert.match(formatStatus({ kind: 'failed', message: 'boom' }).tooltip, /boom/);
    assert.equal(formatStatus({ kind: 'stopped' }).problem, true);
  });
});

describe('RestartPolicy', () => {
  test('restarts a few times, then stops', () => {
    let now = 0;
    const p = new RestartPolicy({ maxRestarts: 3, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 3; i++) {
      now += 1000;
      assert.equal(p.onClosed().action, 'restart');
    }
    now += 1000;
    const d = p.onClosed();
    assert.equal(d.action, 'stop');
    assert.match(d.action === 'stop' ? d.message : '', /will not be restarted/);
  });

  test('old crashes expire from the window; reset clears', () => {
    let now = 0;
    const p = new RestartPolicy({ maxRestarts: 1, windowMs: 10_000, now: () => now });
    assert.equal(p.onClosed().action, 'restart');
    now = 20_000;
    assert.equal(p.onClosed().action, 'restart');
    assert.equal(p.onClosed().action, 'stop');
    p.reset();
    assert.equal(p.onClosed().action, 'restart');
  });

  test('connection errors: continue a few times then shut down', () => {
    const p = new RestartPolicy();
    assert.equal(p.onError(1), 'continue');
    assert.equal(p.onError(3), 'continue');
    assert.equal(p.onError(4), 'shutdown');
    assert.equal(p.onError(undefined), 'shutdown');
  });
});
