/**
 * Bounded restart policy for the language client's error handler, so a server
 * that crashes on start does not restart forever. No `vscode` import.
 */

export interface RestartPolicyOptions {
  /** Restarts allowed inside `windowMs` before giving up. */
  readonly maxRestarts: number;
  readonly windowMs: number;
  readonly now?: () => number;
}

export type CloseDecision = { readonly action: 'restart' } | { readonly action: 'stop'; readonly message: string };

export class RestartPolicy {
  private readonly closes: number[] = [];
  private readonly now: () => number;

  constructor(private readonly options: RestartPolicyOptions = { maxRestarts: 4, windowMs: 3 * 60_000 }) {
    this.now = options.now ?? Date.now;
  }

  /** Called each time the connection to the server closed unexpectedly. */
  onClosed(): CloseDecision {
    const t = this.now();
    this.closes.push(t);
    while (this.closes.length > 0 && (this.closes[0] ?? t) <= t - this.options.windowMs) {
      this.closes.shift();
    }
    if (this.closes.length > this.options.maxRestarts) {
      const minutes = Math.round(this.options.windowMs / 60_000);
      return {
        action: 'stop',
        message:
          `The factlint server stopped ${this.closes.length} times in the last ${minutes} minute${minutes === 1 ? '' : 's'} ` +
          'and will not be restarted. See "factlint: Show Output", then run "factlint: Restart Server".',
      };
    }
    return { action: 'restart' };
  }

  /** Read/write errors on the connection: keep going for a few, then shut down. */
  onError(count: number | undefined): 'continue' | 'shutdown' {
    return count !== undefined && count <= 3 ? 'continue' : 'shutdown';
  }

  reset(): void {
    this.closes.length = 0;
  }
}
