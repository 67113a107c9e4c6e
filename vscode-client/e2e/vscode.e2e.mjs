/**
 * The real VS Code test: code-server (VS Code in a browser) with the built .vsix installed,
 * driven in Debian's headless Chromium by playwright-core. It opens a workspace holding a
 * draft and asserts, from the page, what a writer sees:
 *   1. squiggles and the Problems panel listing the factlint findings with their codes;
 *   2. a hover on the finding showing the corpus evidence;
 *   3. the preferred quick fix editing the text, and its finding disappearing;
 *   4. the "✓ 2 sources" inlay hint after the one claim the corpus confirms (showSupported).
 * A screenshot of each step lands in $FACTLINT_E2E_ARTIFACTS (default e2e/artifacts/).
 *
 * Needs code-server (e2e/install-code-server.sh; $CODE_SERVER_HOME or the cache it fills),
 * Chromium ($CHROMIUM, default /usr/bin/chromium), the .vsix (npm run package) and the
 * factlint server ($FACTLINT_SERVER_COMMAND, ../.venv/bin/factlint or factlint on PATH).
 * Anything missing skips the test locally and FAILS it under CI (env CI set).
 */

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const VERSION = process.env.CODE_SERVER_VERSION ?? '4.100.3';
const CODE_SERVER_HOME = process.env.CODE_SERVER_HOME ?? path.join(
  process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'factlint-ci',
  `code-server-${VERSION}`, 'lib', 'node_modules', 'code-server');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = process.env.FACTLINT_E2E_ARTIFACTS ?? path.join(HERE, 'artifacts');
const DRAFT = [
  '# Notes',
  '',
  '"We aim to establish a beginning to the end of the war," Kallas said at a press conference.',
  '',
  'Zelensky and Putin have not met in person since December 2018.',
  '',
  'Russia invaded Ukraine in February 2022.',
  '',
].join('\n');
const FINDINGS_TIMEOUT_MS = 180_000;

function missing(what) {
  if (process.env.CI) throw new Error(`${what}: required under CI`);
  return what;
}

function serverCommand() {
  const env = process.env.FACTLINT_SERVER_COMMAND?.trim();
  if (env) {
    const words = env.startsWith('[') ? JSON.parse(env) : env.split(/\s+/);
    return words.length === 1 ? [...words, 'serve'] : words;
  }
  const venv = path.resolve(ROOT, '..', '.venv', 'bin', 'factlint');
  if (fs.existsSync(venv)) return [venv, 'serve'];
  const found = spawnSync('sh', ['-c', 'command -v factlint'], { encoding: 'utf8' }).stdout.trim();
  return found ? [found, 'serve'] : undefined;
}

function newestVsix() {
  const files = fs.readdirSync(ROOT).filter((f) => /^factlint-.*\.vsix$/.test(f));
  files.sort((a, b) => fs.statSync(path.join(ROOT, b)).mtimeMs - fs.statSync(path.join(ROOT, a)).mtimeMs);
  return files.length ? path.join(ROOT, files[0]) : undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, ms) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch { /* not up yet */ }
    if (Date.now() > end) throw new Error(`${url} did not answer within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const entry = path.join(CODE_SERVER_HOME, 'out', 'node', 'entry.js');
const cmd = serverCommand();
const vsix = newestVsix();
const skip = !fs.existsSync(entry) ? missing(`code-server not found at ${entry} (run e2e/install-code-server.sh)`)
  : !fs.existsSync(CHROMIUM) ? missing(`Chromium not found at ${CHROMIUM} (apt-get install chromium)`)
    : cmd === undefined ? missing('the factlint server (pip install -e ..)')
      : vsix === undefined ? missing('the .vsix (npm run package)') : false;

const state = { tmp: '', proc: undefined, browser: undefined, page: undefined, log: [] };

async function shot(name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await state.page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

async function problems(page) {
  return page.$$eval('.markers-panel .monaco-list-row', (rows) => rows.map((r) => r.textContent ?? ''));
}

before(async () => {
  if (skip) return;
  state.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'factlint-vscode-'));
  const userData = path.join(state.tmp, 'user-data');
  const extensions = path.join(state.tmp, 'extensions');
  const workspace = path.join(state.tmp, 'workspace');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'draft.md'), DRAFT);
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({
    'factlint.serverCommand': cmd,
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'workbench.tips.enabled': false,
    'editor.hover.delay': 200,
    'window.restoreWindows': 'none',
  }, null, 2));
  const base = [entry, '--user-data-dir', userData, '--extensions-dir', extensions];
  const inst = spawnSync(process.execPath, [...base, '--install-extension', vsix], { encoding: 'utf8' });
  assert.equal(inst.status, 0, `--install-extension failed: ${inst.stdout}${inst.stderr}`);

  const port = await freePort();
  state.proc = spawn(process.execPath, [...base, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', workspace], { env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  state.proc.stdout.on('data', (d) => state.log.push(String(d)));
  state.proc.stderr.on('data', (d) => state.log.push(String(d)));
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000);

  const { chromium } = await import('playwright-core');
  state.browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  state.page = await state.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await state.page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await state.page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
});

after(async () => {
  await state.browser?.close().catch(() => {});
  state.proc?.kill();
  if (state.tmp) fs.rmSync(state.tmp, { recursive: true, force: true });
});

test('the .vsix in a real VS Code: findings, hover, quick fix', { skip, timeout: 600_000 }, async () => {
  const page = state.page;
  try {
    // open the draft through Quick Open, as a user would
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } });
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget input', { timeout: 30_000 });
    await page.keyboard.type('draft.md');
    await page.waitForSelector('.quick-input-list .monaco-list-row', { timeout: 30_000 });
    await page.keyboard.press('Enter');
    await page.waitForSelector('.monaco-editor .view-line:has-text("We aim")', { timeout: 30_000 });

    // 1. the findings: squiggles, then the Problems panel with factlint's codes
    await page.waitForSelector('.monaco-editor .squiggly-error', { timeout: FINDINGS_TIMEOUT_MS });
    // showSupported (on by default): the date the corpus confirms gets "✓ 2 sources"
    const confirmed = page.locator('.monaco-editor .view-line').filter({ hasText: '✓ 2 sources' });
    await confirmed.first().waitFor({ timeout: 60_000 });
    assert.match(await confirmed.first().textContent() ?? '', /February\s2022\s*✓\s2\ssources/);
    assert.equal(await page.locator('.monaco-editor .view-line').filter({ hasText: '✓' }).count(), 1,
      'only the confirmed claim has a hint');
    await shot('1-squiggles');
    await page.keyboard.press('Control+Shift+M');
    await page.waitForSelector('.markers-panel .monaco-list-row', { timeout: 30_000 });
    await page.waitForFunction(() => [...document.querySelectorAll('.markers-panel .monaco-list-row')]
      .some((r) => (r.textContent ?? '').includes('date')), undefined, { timeout: 60_000 });
    const rows = await problems(page);
    await shot('2-problems');
    const text = rows.join('\n');
    assert.match(text, /quote-speaker/, text);
    assert.match(text, /date/, text);
    assert.match(text, /Kaja Kallas/, text);
    assert.match(text, /factlint/, text);

    // 2. the hover on the quote-speaker finding shows the corpus sentence
    const squiggle = page.locator('.monaco-editor .squiggly-error').first();
    const box = await squiggle.boundingBox();
    assert.ok(box, 'the squiggle has a box');
    await page.mouse.move(box.x + Math.min(40, box.width / 2), box.y + box.height / 2);
    const hover = page.locator('.monaco-hover:visible').filter({ hasText: 'Zelensky' }).first();
    await hover.waitFor({ timeout: 30_000 });
    const hoverText = await hover.textContent();
    await shot('3-hover');
    // the server's own hover (not only VS Code's rendering of the diagnostic): the fact
    assert.match(hoverText ?? '', /fact: quote by Volodymyr Zelensky/, hoverText ?? '');
    assert.match(hoverText ?? '', /seeds\/002_25c4805a9411152e\.txt:19/, hoverText ?? '');

    // 3. the preferred quick fix: replace the speaker; the finding goes away
    await page.mouse.click(box.x + Math.min(40, box.width / 2), box.y + box.height / 2);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row').filter({ hasText: 'as in the corpus' }).first();
    await fix.waitFor({ timeout: 30_000 });
    await shot('4-quick-fix-menu');
    // the menu focuses its first entry; the preferred fix must be that one
    const first = await page.locator('.action-widget .monaco-list-row.focused').first().textContent();
    assert.match(first ?? '', /as in the corpus/, `first entry: ${first}`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('.monaco-editor .view-line:has-text("Zelensky said at a press")', { timeout: 30_000 });
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('.markers-panel .monaco-list-row')].map((r) => r.textContent ?? '');
      return rows.some((r) => r.includes('date')) && !rows.some((r) => r.includes('quote-speaker'));
    }, undefined, { timeout: 60_000 });
    await shot('5-after-fix');
    const left = (await problems(page)).join('\n');
    assert.doesNotMatch(left, /quote-speaker/, left);
    assert.match(left, /date/, left);
  } catch (err) {
    await shot('failure').catch(() => {});
    throw new Error(`${err}\n--- code-server log ---\n${state.log.join('').slice(-4000)}`);
  }
});
