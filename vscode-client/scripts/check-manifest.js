#!/usr/bin/env node
// Checks that an extension manifest (package.json, or the one inside a .vsix
// read with `unzip -p x.vsix extension/package.json`) contributes every
// factlint setting and command. Usage:
//   node scripts/check-manifest.js path/to/package.json
//   unzip -p factlint-0.1.0.vsix extension/package.json | node scripts/check-manifest.js -
// Exits 1 and lists the problems when something is missing.
'use strict';

const fs = require('node:fs');

/** Expected settings: key -> checks on its schema. */
const SETTINGS = {
  'factlint.serverCommand': (s) => sameSet(asArray(s.type), ['array', 'string']),
  'factlint.pythonPath': (s) => s.type === 'string',
  'factlint.corpus': (s) => s.type === 'array' && s.items && s.items.type === 'string',
  'factlint.rules': (s) => s.type === 'array' && s.items && s.items.type === 'string',
  'factlint.severity': (s) =>
    s.type === 'object' && s.additionalProperties && sameSet(s.additionalProperties.enum, ['error', 'warning', 'info', 'hint']),
  'factlint.disable': (s) => s.type === 'array' && s.items && s.items.type === 'string',
  'factlint.debounceMs': (s) => s.type === 'number' && s.default === 300,
  'factlint.checkFrequency': (s) => s.type === 'string' && sameSet(s.enum, ['change', 'save']),
  'factlint.trace.server': (s) => s.type === 'string' && sameSet(s.enum, ['off', 'messages', 'verbose']),
};

const COMMANDS = {
  'factlint.restartServer': 'factlint: Restart Server',
  'factlint.reindexCorpus': 'factlint: Re-index Corpus',
  'factlint.showOutput': 'factlint: Show Output',
};

function asArray(v) {
  return Array.isArray(v) ? v : [v];
}

function sameSet(a, b) {
  return Array.isArray(a) && a.length === b.length && b.every((x) => a.includes(x));
}

/** Returns a list of problems (empty when the manifest is complete). */
function checkManifest(manifest) {
  const problems = [];
  const contributes = manifest.contributes || {};
  const configs = asArray(contributes.configuration || []);
  const properties = Object.assign({}, ...configs.map((c) => (c && c.properties) || {}));
  for (const [key, check] of Object.entries(SETTINGS)) {
    const schema = properties[key];
    if (!schema) {
      problems.push(`missing setting ${key}`);
    } else if (!check(schema)) {
      problems.push(`setting ${key} has an unexpected schema: ${JSON.stringify(schema)}`);
    }
  }
  const commands = new Map((contributes.commands || []).map((c) => [c.command, c]));
  for (const [id, title] of Object.entries(COMMANDS)) {
    const c = commands.get(id);
    if (!c) {
      problems.push(`missing command ${id}`);
      continue;
    }
    const shown = c.category ? `${c.category}: ${c.title}` : c.title;
    if (shown !== title) {
      problems.push(`command ${id} is titled "${shown}", expected "${title}"`);
    }
  }
  if (manifest.main !== './dist/extension.js') {
    problems.push(`main should be ./dist/extension.js, is ${JSON.stringify(manifest.main)}`);
  }
  const events = manifest.activationEvents || [];
  for (const e of ['onLanguage:markdown', 'onLanguage:plaintext']) {
    if (!events.includes(e)) {
      problems.push(`missing activation event ${e}`);
    }
  }
  if (!manifest.engines || !manifest.engines.vscode) {
    problems.push('missing engines.vscode');
  }
  return problems;
}

module.exports = { checkManifest, SETTINGS: Object.keys(SETTINGS), COMMANDS: Object.keys(COMMANDS) };

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: check-manifest.js <package.json | ->');
    process.exit(2);
  }
  const text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  const problems = checkManifest(JSON.parse(text));
  if (problems.length > 0) {
    for (const p of problems) {
      console.error(`manifest: ${p}`);
    }
    process.exit(1);
  }
  console.log(`manifest OK: ${Object.keys(SETTINGS).length} settings, ${Object.keys(COMMANDS).length} commands`);
}
