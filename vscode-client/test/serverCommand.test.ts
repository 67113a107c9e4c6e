import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';

import { PYTHON_PROBE, isExecutable, pythonHasFactlint } from '../src/probes';
import {
  describeAttempts,
  findExecutable,
  parseServerCommandSetting,
  resolveServerCommand,
  splitCommandLine,
  substituteVariables,
  type ResolveInputs,
  type ResolveProbes,
} from '../src/serverCommand';

/** A fake file system: the set of executable files, and interpreters that have factlint. */
function fakeProbes(executables: string[], pythonsWithFactlint: string[] = []): ResolveProbes & { pythonCalls: string[][] } {
  const pythonCalls: string[][] = [];
  return {
    pythonCalls,
    isExecutable: async (file) => executables.includes(file),
    pythonHasFactlint: async (python) => {
      pythonCalls.push([...python]);
      return pythonsWithFactlint.includes(python.join(' '));
    },
  };
}

function inputs(overrides: Partial<ResolveInputs> = {}): ResolveInputs {
  return {
    serverCommand: undefined,
    pythonPath: undefined,
    platform: 'linux',
    env: { PATH: '/usr/local/bin:/usr/bin' },
    homeDir: '/home/me',
    workspaceFolder: '/ws',
    ...overrides,
  };
}

describe('splitCommandLine', () => {
  test('splits on whitespace', () => {
    assert.deepEqual(splitCommandLine('  factlint   serve --verbose '), ['factlint', 'serve', '--verbose']);
  });
  test('honours quotes and escapes', () => {
    assert.deepEqual(splitCommandLine(`"/opt/my env/bin/factlint" 'serve' a\\ b "x\\"y" ''`), ['/opt/my env/bin/factlint', 'serve', 'a b', 'x"y', '']);
  });
  test('keeps backslashes on Windows', () => {
    assert.deepEqual(splitCommandLine('C:\\venv\\Scripts\\factlint.exe serve', 'win32'), ['C:\\venv\\Scripts\\factlint.exe', 'serve']);
  });
  test('rejects an unterminated quote', () => {
    assert.throws(() => splitCommandLine('"factlint serve'), /unterminated/);
  });
});

describe('substituteVariables', () => {
  const ctx = { workspaceFolder: '/ws', homeDir: '/home/me', env: { VENV: '/venvs/a' } };
  test('expands workspaceFolder, userHome, env and ~', () => {
    assert.equal(substituteVariables('${workspaceFolder}/.venv/bin/python', ctx), '/ws/.venv/bin/python');
    assert.equal(substituteVariables('${userHome}/x', ctx), '/home/me/x');
    assert.equal(substituteVariables('${env:VENV}/bin/factlint', ctx), '/venvs/a/bin/factlint');
    assert.equal(substituteVariables('${env:MISSING}x', ctx), 'x');
    assert.equal(substituteVariables('~/corpus', ctx), '/home/me/corpus');
    assert.equal(substituteVariables('a~b', ctx), 'a~b');
  });
  test('leaves unknown variables and missing workspace alone', () => {
    assert.equal(substituteVariables('${foo}', ctx), '${foo}');
    assert.equal(substituteVariables('${workspaceFolder}/x', { env: {} }), '${workspaceFolder}/x');
  });
});

describe('parseServerCommandSetting', () => {
  const ctx = { workspaceFolder: '/ws', env: {} };
  test('unset or empty means not configured', () => {
    for (const raw of [undefined, null, '', '   ', []]) {
      assert.equal(parseServerCommandSetting(raw, ctx, 'linux'), undefined, JSON.stringify(raw));
    }
  });
  test('string and array forms', () => {
    assert.deepEqual(parseServerCommandSetting('${workspaceFolder}/bin/factlint serve', ctx, 'linux'), ['/ws/bin/factlint', 'serve']);
    assert.deepEqual(parseServerCommandSetting(['/opt/my env/factlint', 'serve'], ctx, 'linux'), ['/opt/my env/factlint', 'serve']);
  });
  test('invalid values throw', () => {
    assert.throws(() => parseServerCommandSetting(42, ctx, 'linux'), /string or an array/);
    assert.throws(() => parseServerCommandSetting(['factlint', 3], ctx, 'linux'), /string or an array/);
    assert.throws(() => parseServerCommandSetting(['', 'serve'], ctx, 'linux'), /empty/);
  });
});

describe('findExecutable', () => {
  const env = { PATH: '/a:/b::/c' };
  test('searches PATH in order', async () => {
    const found = await findExecutable('factlint', { env, platform: 'linux' }, async (f) => f === '/b/factlint' || f === '/c/factlint');
    assert.equal(found, '/b/factlint');
  });
  test('checks paths with a separator directly, relative to cwd', async () => {
    assert.equal(await findExecutable('/x/factlint', { env, platform: 'linux' }, async (f) => f === '/x/factlint'), '/x/factlint');
    assert.equal(await findExecutable('.venv/bin/python', { env, platform: 'linux', cwd: '/ws' }, async (f) => f === '/ws/.venv/bin/python'), '/ws/.venv/bin/python');
    assert.equal(await findExecutable('/x/factlint', { env, platform: 'linux' }, async () => false), undefined);
  });
  test('uses PATHEXT on Windows', async () => {
    const found = await findExecutable(
      'factlint',
      { env: { Path: 'C:\\py\\Scripts', PATHEXT: '.EXE;.CMD' }, platform: 'win32' },
      async (f) => f === 'C:\\py\\Scripts\\factlint.EXE',
    );
    assert.equal(found, 'C:\\py\\Scripts\\factlint.EXE');
  });
  test('empty name is never found', async () => {
    assert.equal(await findExecutable('', { env, platform: 'linux' }, async () => true), undefined);
  });
});

describe('resolveServerCommand precedence', () => {
  const everything = ['/opt/factlint/bin/factlint', '/usr/bin/python3', '/venv/bin/python', '/usr/local/bin/factlint', '/usr/bin/conda'];
  const allPythons = ['/usr/bin/python3', '/venv/bin/python', '/usr/bin/conda run -n fl python'];
  const pyExt = async (): Promise<string[]> => ['/venv/bin/python'];

  test('1. factlint.serverCommand (array) wins over everything', async () => {
    const probes = fakeProbes(everything, allPythons);
    const r = await resolveServerCommand(
      inputs({ serverCommand: ['/opt/factlint/bin/factlint', 'serve', '--log-level', 'debug'], pythonPath: '/usr/bin/python3', pythonExtensionInterpreter: pyExt }),
      probes,
    );
    assert.deepEqual(r.command, { command: '/opt/factlint/bin/factlint', args: ['serve', '--log-level', 'debug'], source: 'serverCommand' });
    assert.deepEqual(probes.pythonCalls, []);
  });

  test('1. factlint.serverCommand string form, bare name resolved on PATH', async () => {
    const r = await resolveServerCommand(inputs({ serverCommand: 'factlint serve' }), fakeProbes(everything));
    assert.deepEqual(r.command, { command: '/usr/local/bin/factlint', args: ['serve'], source: 'serverCommand' });
  });

  test('1. ${workspaceFolder} in serverCommand', async () => {
    const r = await resolveServerCommand(inputs({ serverCommand: ['${workspaceFolder}/.venv/bin/factlint', 'serve'] }), fakeProbes(['/ws/.venv/bin/factlint']));
    assert.equal(r.command?.command, '/ws/.venv/bin/factlint');
  });

  test('2. factlint.pythonPath runs `<python> -m factlint serve`', async () => {
    const probes = fakeProbes(everything, allPythons);
    let asked = false;
    const r = await resolveServerCommand(
      inputs({
        pythonPath: '/usr/bin/python3',
        pythonExtensionInterpreter: async () => {
          asked = true;
          return ['/venv/bin/python'];
        },
      }),
      probes,
    );
    assert.deepEqual(r.command, { command: '/usr/bin/python3', args: ['-m', 'factlint', 'serve'], source: 'pythonPath' });
    assert.equal(asked, false, 'the Python extension is not consulted when pythonPath works');
  });

  test('2. a bare pythonPath is looked up on PATH', async () => {
    const r = await resolveServerCommand(inputs({ pythonPath: 'python3', env: { PATH: '/usr/bin' } }), fakeProbes(everything, allPythons));
    assert.deepEqual(r.command, { command: '/usr/bin/python3', args: ['-m', 'factlint', 'serve'], source: 'pythonPath' });
  });

  test('a broken serverCommand falls through to pythonPath and is reported', async () => {
    const r = await resolveServerCommand(inputs({ serverCommand: ['/nope/factlint', 'serve'], pythonPath: '/usr/bin/python3' }), fakeProbes(everything, allPythons));
    assert.equal(r.command?.source, 'pythonPath');
    assert.deepEqual(r.attempts[0], { source: 'serverCommand', candidate: '/nope/factlint serve', ok: false, reason: 'executable not found: /nope/factlint' });
  });

  test('3. the Python extension interpreter is used when pythonPath lacks factlint', async () => {
    const r = await resolveServerCommand(
      inputs({ pythonPath: '/usr/bin/python3', pythonExtensionInterpreter: pyExt }),
      fakeProbes(everything, ['/venv/bin/python']),
    );
    assert.deepEqual(r.command, { command: '/venv/bin/python', args: ['-m', 'factlint', 'serve'], source: 'pythonExtension' });
    assert.equal(r.attempts[0]?.reason, 'factlint is not installed for /usr/bin/python3');
  });

  test('3. multi-word exec commands from the Python extension (conda run)', async () => {
    const r = await resolveServerCommand(
      inputs({ pythonExtensionInterpreter: async () => ['conda', 'run', '-n', 'fl', 'python'] }),
      fakeProbes(everything, ['/usr/bin/conda run -n fl python']),
    );
    assert.deepEqual(r.command, { command: '/usr/bin/conda', args: ['run', '-n', 'fl', 'python', '-m', 'factlint', 'serve'], source: 'pythonExtension' });
  });

  test('3. a failing Python extension is recorded and skipped', async () => {
    const r = await resolveServerCommand(
      inputs({
        pythonExtensionInterpreter: async () => {
          throw new Error('extension exploded');
        },
      }),
      fakeProbes(everything),
    );
    assert.equal(r.command?.source, 'path');
    assert.deepEqual(r.attempts[0], { source: 'pythonExtension', candidate: '(Python extension interpreter)', ok: false, reason: 'extension exploded' });
  });

  test('3. no interpreter from the Python extension', async () => {
    const r = await resolveServerCommand(inputs({ pythonExtensionInterpreter: async () => undefined }), fakeProbes(everything));
    assert.equal(r.command?.source, 'path');
  });

  test('4. factlint on PATH', async () => {
    const r = await resolveServerCommand(inputs(), fakeProbes(everything));
    assert.deepEqual(r.command, { command: '/usr/local/bin/factlint', args: ['serve'], source: 'path' });
    assert.deepEqual(describeAttempts(r.attempts), ['using PATH: factlint serve']);
  });

  test('nothing works: no command, every attempt explained', async () => {
    const r = await resolveServerCommand(
      inputs({ serverCommand: 'factlint-missing serve', pythonPath: '/usr/bin/python3', pythonExtensionInterpreter: pyExt }),
      fakeProbes(['/usr/bin/python3', '/venv/bin/python'], []),
    );
    assert.equal(r.command, undefined);
    assert.deepEqual(describeAttempts(r.attempts), [
      'skipped factlint.serverCommand: factlint-missing serve (executable not found: factlint-missing)',
      'skipped factlint.pythonPath: /usr/bin/python3 -m factlint serve (factlint is not installed for /usr/bin/python3)',
      'skipped Python extension interpreter: /venv/bin/python -m factlint serve (factlint is not installed for /venv/bin/python)',
      'skipped PATH: factlint serve (factlint not found on PATH)',
    ]);
  });

  test('an invalid serverCommand value is reported, not thrown', async () => {
    const r = await resolveServerCommand(inputs({ serverCommand: { cmd: 'x' } }), fakeProbes(everything));
    assert.equal(r.command?.source, 'path');
    assert.equal(r.attempts[0]?.ok, false);
  });
});

describe('node probes', () => {
  test('isExecutable: executable file yes, plain file and directory no', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factlint-probe-'));
    const plain = path.join(dir, 'plain');
    fs.writeFileSync(plain, 'x', { mode: 0o644 });
    assert.equal(await isExecutable(process.execPath), true);
    assert.equal(await isExecutable(dir), false);
    assert.equal(await isExecutable(path.join(dir, 'missing')), false);
    if (process.platform !== 'win32') {
      assert.equal(await isExecutable(plain), false);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('pythonHasFactlint checks for factlint/__main__.py without importing it', async (t) => {
    let python: string | undefined;
    for (const candidate of ['python3', 'python']) {
      try {
        execFileSync(candidate, ['-c', 'pass'], { stdio: 'ignore' });
        python = candidate;
        break;
      } catch {
        // try the next one
      }
    }
    if (python === undefined) {
      t.skip('no Python interpreter on PATH');
      return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factlint-pyprobe-'));
    const pkg = path.join(dir, 'factlint');
    fs.mkdirSync(pkg);
    // Importing this package would fail: the probe must not import it.
    fs.writeFileSync(path.join(pkg, '__init__.py'), 'raise RuntimeError("must not be imported")\n');
    const oldPythonPath = process.env['PYTHONPATH'];
    try {
      // Run Python with our temp dir first on sys.path (-S: no site-packages).
      const env = { ...process.env, PYTHONPATH: dir, PYTHONNOUSERSITE: '1' };
      const run = (): boolean => {
        try {
          execFileSync(python as string, ['-S', '-c', PYTHON_PROBE], { env, stdio: 'ignore' });
          return true;
        } catch {
          return false;
        }
      };
      assert.equal(run(), false, 'package without __main__.py');
      fs.writeFileSync(path.join(pkg, '__main__.py'), '');
      assert.equal(run(), true, 'package with __main__.py');
      // And through pythonHasFactlint itself (inherits process.env).
      process.env['PYTHONPATH'] = dir;
      assert.equal(await pythonHasFactlint([python]), true);
      assert.equal(await pythonHasFactlint(['/definitely/not/python']), false);
    } finally {
      if (oldPythonPath === undefined) {
        delete process.env['PYTHONPATH'];
      } else {
        process.env['PYTHONPATH'] = oldPythonPath;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
