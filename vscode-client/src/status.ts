/**
 * Status bar text for the `factlint/status` notification and the client's own
 * lifecycle states. No `vscode` import.
 */

export const STATUS_NOTIFICATION = 'factlint/status';

export const SERVER_STATES = ['indexing', 'ready', 'error'] as const;
export type ServerState = (typeof SERVER_STATES)[number];

/**
 * Params of the server's `factlint/status` notification. `error` is sent when
 * (re)indexing failed and no corpus is loaded.
 */
export interface FactlintStatusParams {
  state: ServerState;
  facts?: number;
  message?: string;
}

export type ClientStatus =
  | { kind: 'starting' }
  | { kind: 'server'; params: FactlintStatusParams }
  | { kind: 'stopped' }
  | { kind: 'notInstalled' }
  | { kind: 'failed'; message: string };

export interface StatusView {
  text: string;
  tooltip: string;
  /** True when the item should use the error/warning background. */
  problem: boolean;
}

/** Validates an incoming `factlint/status` payload; undefined when malformed. */
export function parseStatusParams(raw: unknown): FactlintStatusParams | undefined {
  if (typeof raw !== 'object' || raw === null) {
    return undefined;
  }
  const r = raw as Record<string, unknown>;
  const state = r['state'];
  if (typeof state !== 'string' || !(SERVER_STATES as readonly string[]).includes(state)) {
    return undefined;
  }
  const out: FactlintStatusParams = { state: state as ServerState };
  const facts = r['facts'];
  if (typeof facts === 'number' && Number.isFinite(facts) && facts >= 0) {
    out.facts = Math.floor(facts);
  }
  const message = r['message'];
  if (typeof message === 'string' && message !== '') {
    out.message = message;
  }
  return out;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

export function formatStatus(status: ClientStatus): StatusView {
  switch (status.kind) {
    case 'starting':
      return { text: '$(sync~spin) factlint: starting…', tooltip: 'factlint: starting the language server', problem: false };
    case 'stopped':
      return { text: '$(circle-slash) factlint: stopped', tooltip: 'factlint: the language server is not running (click for output)', problem: true };
    case 'notInstalled':
      return {
        text: '$(warning) factlint: not installed',
        tooltip: 'factlint is not installed: pip install factlint, or set factlint.serverCommand (click for output)',
        problem: true,
      };
    case 'failed':
      return { text: '$(error) factlint: failed', tooltip: `factlint: ${status.message} (click for output)`, problem: true };
    case 'server': {
      const { state, facts, message } = status.params;
      if (state === 'indexing') {
        const progress = facts !== undefined && facts > 0 ? ` (${plural(facts, 'fact')})` : '';
        return {
          text: `$(sync~spin) factlint: indexing…${progress}`,
          tooltip: message ?? 'factlint: indexing the corpus',
          problem: false,
        };
      }
      if (state === 'error') {
        return { text: '$(error) factlint: error', tooltip: message ?? 'factlint: the corpus could not be indexed', problem: true };
      }
      const text = facts !== undefined ? `factlint: ${plural(facts, 'fact')}` : 'factlint: ready';
      return { text, tooltip: message ?? 'factlint: corpus indexed', problem: false };
    }
  }
}
