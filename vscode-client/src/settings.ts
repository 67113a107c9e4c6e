/**
 * Mapping of the `factlint.*` VS Code settings to the server's configuration
 * object (sent as `initializationOptions` and returned for
 * `workspace/configuration` requests on section `factlint`).
 *
 * No `vscode` import: the raw settings come in as a plain object.
 */

import { substituteVariables, type SubstitutionContext } from './serverCommand';

export const CONFIG_SECTION = 'factlint';

export const SEVERITIES = ['error', 'warning', 'info', 'hint'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CHECK_FREQUENCIES = ['change', 'save'] as const;
export type CheckFrequency = (typeof CHECK_FREQUENCIES)[number];

/** The server's configuration keys (the server reads exactly these). */
export interface ServerSettings {
  corpus: string[];
  rules: string[];
  severity: Record<string, Severity>;
  disable: string[];
  debounceMs: number;
  checkFrequency: CheckFrequency;
}

export const SERVER_SETTING_KEYS = ['corpus', 'rules', 'severity', 'disable', 'debounceMs', 'checkFrequency'] as const satisfies readonly (keyof ServerSettings)[];

/** Settings that only concern the client; changing them restarts the server. */
export const RESTART_SETTING_KEYS = ['serverCommand', 'pythonPath'] as const;

export const DEFAULT_DEBOUNCE_MS = 300;

export function defaultServerSettings(): ServerSettings {
  return { corpus: [], rules: [], severity: {}, disable: [], debounceMs: DEFAULT_DEBOUNCE_MS, checkFrequency: 'change' };
}

export interface NormalizedSettings {
  readonly settings: ServerSettings;
  /** Invalid values that were ignored (for the output channel). */
  readonly problems: readonly string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(key: string, value: unknown, problems: string[], mapItem: (s: string) => string = (s) => s): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (typeof value === 'string') {
    // Be lenient with a single path/code written as a string.
    return value.trim() === '' ? [] : [mapItem(value.trim())];
  }
  if (!Array.isArray(value)) {
    problems.push(`factlint.${key} must be an array of strings; ignored ${JSON.stringify(value)}`);
    return [];
  }
  const out: string[] = [];
  for (const item of value) {
    if (typeof item === 'string' && item.trim() !== '') {
      const mapped = mapItem(item.trim());
      if (!out.includes(mapped)) {
        out.push(mapped);
      }
    } else {
      problems.push(`factlint.${key}: ignored invalid entry ${JSON.stringify(item)}`);
    }
  }
  return out;
}

export function normalizeSeverity(value: unknown): Severity | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const v = value.trim().toLowerCase();
  if (v === 'information') {
    return 'info';
  }
  return (SEVERITIES as readonly string[]).includes(v) ? (v as Severity) : undefined;
}

/**
 * Maps the raw `factlint` configuration section (as returned by
 * `workspace.getConfiguration('factlint')` / the `workspace/configuration`
 * request) to the server settings object. Missing or invalid values fall back
 * to the defaults; `~`, `${workspaceFolder}`, `${userHome}` and `${env:X}` are
 * expanded in corpus and rules paths when a context is given.
 */
export function normalizeSettings(raw: unknown, ctx?: SubstitutionContext): NormalizedSettings {
  const problems: string[] = [];
  const settings = defaultServerSettings();
  if (raw === undefined || raw === null) {
    return { settings, problems };
  }
  if (!isRecord(raw)) {
    problems.push(`factlint settings must be an object; got ${JSON.stringify(raw)}`);
    return { settings, problems };
  }
  const expand = (s: string): string => (ctx === undefined ? s : substituteVariables(s, ctx));

  settings.corpus = stringList('corpus', raw['corpus'], problems, expand);
  settings.rules = stringList('rules', raw['rules'], problems, expand);
  settings.disable = stringList('disable', raw['disable'], problems);

  const severity = raw['severity'];
  if (isRecord(severity)) {
    for (const [code, level] of Object.entries(severity)) {
      const sev = normalizeSeverity(level);
      if (code.trim() === '') {
        problems.push('factlint.severity: ignored an empty diagnostic code');
      } else if (sev === undefined) {
        problems.push(`factlint.severity.${code}: expected one of ${SEVERITIES.join(', ')}; ignored ${JSON.stringify(level)}`);
      } else {
        settings.severity[code.trim()] = sev;
      }
    }
  } else if (severity !== undefined && severity !== null) {
    problems.push(`factlint.severity must be an object; ignored ${JSON.stringify(severity)}`);
  }

  const debounce = raw['debounceMs'];
  if (typeof debounce === 'number' && Number.isFinite(debounce) && debounce >= 0) {
    settings.debounceMs = Math.round(debounce);
  } else if (debounce !== undefined && debounce !== null) {
    problems.push(`factlint.debounceMs must be a non-negative number; using ${DEFAULT_DEBOUNCE_MS}`);
  }

  const freq = raw['checkFrequency'];
  if (typeof freq === 'string' && (CHECK_FREQUENCIES as readonly string[]).includes(freq)) {
    settings.checkFrequency = freq as CheckFrequency;
  } else if (freq !== undefined && freq !== null) {
    problems.push(`factlint.checkFrequency must be "change" or "save"; using "change"`);
  }

  return { settings, problems };
}

export function toServerSettings(raw: unknown, ctx?: SubstitutionContext): ServerSettings {
  return normalizeSettings(raw, ctx).settings;
}

/** The subset of an LSP ConfigurationItem that matters here. */
export interface ConfigurationItemLike {
  readonly section?: string | null | undefined;
  readonly scopeUri?: string | null | undefined;
}

/**
 * Post-processes the client's answer to a `workspace/configuration` request:
 * results for section `factlint` are replaced by the normalised server
 * settings; anything else (other sections, `factlint.corpus` etc.) is passed
 * through untouched.
 */
export function mapConfigurationResults(
  items: readonly ConfigurationItemLike[],
  results: readonly unknown[],
  toSettings: (raw: unknown, item: ConfigurationItemLike) => ServerSettings,
): unknown[] {
  return results.map((result, i) => {
    const item = items[i];
    if (item !== undefined && item.section === CONFIG_SECTION) {
      return toSettings(result, item);
    }
    return result;
  });
}

/**
 * Which kind of reaction a configuration change needs. `affects` is
 * `ConfigurationChangeEvent.affectsConfiguration` (or a stand-in in tests).
 */
export function classifyConfigurationChange(affects: (section: string) => boolean): 'restart' | 'notify' | 'none' {
  if (RESTART_SETTING_KEYS.some((k) => affects(`${CONFIG_SECTION}.${k}`))) {
    return 'restart';
  }
  if (affects(CONFIG_SECTION)) {
    return 'notify';
  }
  return 'none';
}
