import * as fs from 'node:fs';
import * as path from 'node:path';

/** The vscode-client directory, whether running from out/test or test/. */
export function packageRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 4; i++) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'esbuild.mjs'))) {
      return dir;
    }
    dir = path.dirname(dir);
  }
  throw new Error(`vscode-client root not found above ${__dirname}`);
}
