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

/** The server's configuration, every key resolved (the server's defaults where unset). */
export interface ResolvedSettings {
  corpus: string[];
  rules: string[];
  severity: Record<string, Severity>;
  disable: string[];
  debounceMs: number;
  checkFrequency: CheckFrequency;
  showSupported: boolean;
}

export type ServerSettingKey = keyof ResolvedSettings;

/**
 * What is sent to the server (initializationOptions and workspace/configuration
 * answers for section `factlint`): every key is present; `null` means "not set
 * by the user", so that the server falls back to the project file
 * (factlint.toml / pyproject.toml) and then to its own defaults instead of
 * having them overridden by VS Code's contributed defaults.
 */
export type ServerSettings = { [K in ServerSettingKey]: ResolvedSettings[K] | null };

export const SERVER_SETTING_KEYS = ['corpus', 'rules', 'severity', 'disable', 'debounceMs', 'checkFrequency', 'showSupported'] as const satisfies readonly ServerSettingKey[];

/** The extension's own default for `showSupported` (the server's is off): sent even when the user never set it. */
export const DEFAULT_SHOW_SUPPORTED = true;

/** Settings that only concern the client; changing them restarts the server. */
export const RESTART_SETTING_KEYS = ['serverCommand', 'pythonPath'] as const;

export const DEFAULT_DEBOUNCE_MS = 300;

/** The server's defaults (mirrored by the defaults in package.json; an empty corpus means the bundled one). */
export function defaultSettings(): ResolvedSettings {
  return { corpus: [], rules: [], severity: {}, disable: [], debounceMs: DEFAULT_DEBOUNCE_MS, checkFrequency: 'change', showSupported: DEFAULT_SHOW_SUPPORTED };
}

/** All keys unset. */
export function unsetServerSettings(): ServerSettings {
  return { corpus: null, rules: null, severity: null, disable: null, debounceMs: null, checkFrequency: null, showSupported: null };
}

export interface NormalizedSettings {
  readonly settings: ServerSettings;
  /** Invalid values that were ignored (for the output channel). */
  readonly problems: readonly string[];
}

/** The value-carrying fields of `WorkspaceConfiguration.inspect()`. */
export interface InspectedValue {
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
  readonly globalLanguageValue?: unknown;
  readonly workspaceLanguageValue?: unknown;
  readonly workspaceFolderLanguageValue?: unknown;
}

/** True when the user (or workspace) set the value, false when it is only the contributed default. */
export function isUserSet(inspected: InspectedValue | undefined): boolean {
  if (inspected === undefined) {
    return false;
  }
  return [
    inspected.globalValue,
    inspected.workspaceValue,
    inspected.workspaceFolderValue,
    inspected.globalLanguageValue,
    inspected.workspaceLanguageValue,
    inspected.workspaceFolderLanguageValue,
  ].some((v) => v !== undefined);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(key: string, value: unknown, problems: string[], mapItem: (s: string) => string = (s) => s): string[] | null {
  if (typeof value === 'string') {
    // Be lenient with a single path/code written as a string.
    return value.trim() === '' ? [] : [mapItem(value.trim())];
  }
  if (!Array.isArray(value)) {
    problems.push(`factlint.${key} must be an array of strings; ignored ${JSON.stringify(value)}`);
    return null;
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
 * Maps the raw `factlint` configuration section (a plain object, e.g. built
 * from `workspace.getConfiguration('factlint')`) to what the server receives.
 *
 * - keys that are missing/undefined/null in `raw`, or for which `userSet`
 *   returns false, become `null` (unset: the server decides);
 * - invalid values become `null` and are reported in `problems`;
 * - `~`, `${workspaceFolder}`, `${userHome}` and `${env:X}` are expanded in
 *   corpus and rules paths when a context is given (relative paths are left
 *   for the server, which resolves them against the workspace root).
 */
export function normalizeSettings(raw: unknown, ctx?: SubstitutionContext, userSet?: (key: ServerSettingKey) => boolean): NormalizedSettings {
  const problems: string[] = [];
  const settings = unsetServerSettings();
  if (raw === undefined || raw === null) {
    return { settings, problems };
  }
  if (!isRecord(raw)) {
    problems.push(`factlint settings must be an object; got ${JSON.stringify(raw)}`);
    return { settings, problems };
  }
  const expand = (s: string): string => (ctx === undefined ? s : substituteVariables(s, ctx));
  const given = (key: ServerSettingKey): unknown => {
    const v = raw[key];
    if (v === undefined || v === null || (userSet !== undefined && !userSet(key))) {
      return undefined;
    }
    return v;
  };

  const corpus = given('corpus');
  if (corpus !== undefined) {
    settings.corpus = stringList('corpus', corpus, problems, expand);
  }
  const rules = given('rules');
  if (rules !== undefined) {
    settings.rules = stringList('rules', rules, problems, expand);
  }
  const disable = given('disable');
  if (disable !== undefined) {
    settings.disable = stringList('disable', disable, problems);
  }

  const severity = given('severity');
  if (isRecord(severity)) {
    const out: Record<string, Severity> = {};
    for (const [code, level] of Object.entries(severity)) {
      const sev = normalizeSeverity(level);
      if (code.trim() === '') {
        problems.push('factlint.severity: ignored an empty diagnostic code');
      } else if (sev === undefined) {
        problems.push(`factlint.severity.${code}: expected one of ${SEVERITIES.join(', ')}; ignored ${JSON.stringify(level)}`);
      } else {
        out[code.trim()] = sev;
      }
    }
    settings.severity = out;
  } else if (severity !== undefined) {
    problems.push(`factlint.severity must be an object; ignored ${JSON.stringify(severity)}`);
  }

  const debounce = given('debounceMs');
  if (typeof debounce === 'number' && Number.isFinite(debounce) && debounce >= 0) {
    settings.debounceMs = Math.round(debounce);
  } else if (debounce !== undefined) {
    problems.push(`factlint.debounceMs must be a non-negative number; ignored ${JSON.stringify(debounce)}`);
  }

  const freq = given('checkFrequency');
  if (typeof freq === 'string' && (CHECK_FREQUENCIES as readonly string[]).includes(freq)) {
    settings.checkFrequency = freq as CheckFrequency;
  } else if (freq !== undefined) {
    problems.push(`factlint.checkFrequency must be "change" or "save"; ignored ${JSON.stringify(freq)}`);
  }

  // showSupported is the extension's to default (on), so it is sent whether or not the user set it
  const shown = raw['showSupported'];
  if (typeof shown === 'boolean') {
    settings.showSupported = shown;
  } else {
    if (shown !== undefined && shown !== null) {
      problems.push(`factlint.showSupported must be true or false; ignored ${JSON.stringify(shown)}`);
    }
    settings.showSupported = DEFAULT_SHOW_SUPPORTED;
  }

  return { settings, problems };
}

export function toServerSettings(raw: unknown, ctx?: SubstitutionContext, userSet?: (key: ServerSettingKey) => boolean): ServerSettings {
  return normalizeSettings(raw, ctx, userSet).settings;
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
