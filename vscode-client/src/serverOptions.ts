/**
 * The server options handed to vscode-languageclient.
 *
 * `transport: TransportKind.stdio` makes vscode-languageclient spawn the
 * command with `--stdio` appended (the LSP convention for executables);
 * `factlint serve` accepts it, and stdio is its default transport anyway.
 * Kept apart from extension.ts so that test/launch.test.ts can spawn exactly
 * this command through vscode-languageclient itself.
 */

import { TransportKind, type Executable } from 'vscode-languageclient/node';

import type { ServerCommand } from './serverCommand';

/** What vscode-languageclient appends to the command for TransportKind.stdio (checked by test/launch.test.ts). */
export const STDIO_TRANSPORT_ARGS: readonly string[] = ['--stdio'];

export function buildServerOptions(cmd: ServerCommand, cwd: string | undefined, env: NodeJS.ProcessEnv): Executable {
  return {
    command: cmd.command,
    args: [...cmd.args],
    transport: TransportKind.stdio,
    options: { cwd, env: { ...env } },
  };
}

/** The command line the server is started with (for the output channel). */
export function launchCommandLine(options: Executable): string[] {
  return [options.command, ...(options.args ?? []), ...STDIO_TRANSPORT_ARGS];
}
