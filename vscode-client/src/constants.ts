/** Identifiers shared by the extension, its manifest and the tests. No `vscode` import. */

export const CLIENT_ID = 'factlint';
export const CLIENT_NAME = 'factlint';

export const COMMANDS = {
  restartServer: 'factlint.restartServer',
  reindexCorpus: 'factlint.reindexCorpus',
  showOutput: 'factlint.showOutput',
} as const;

/** Server-side command run by "factlint: Re-index Corpus" (workspace/executeCommand). */
export const SERVER_REINDEX_COMMAND = 'factlint.reindex';

export const INSTALL_HINT = 'factlint is not installed: pip install factlint (or set factlint.serverCommand / factlint.pythonPath).';

/** Markdown and plain text, saved (`file`) and unsaved (`untitled`). */
export const DOCUMENT_SELECTOR: { scheme: string; language: string }[] = [
  { scheme: 'file', language: 'markdown' },
  { scheme: 'untitled', language: 'markdown' },
  { scheme: 'file', language: 'plaintext' },
  { scheme: 'untitled', language: 'plaintext' },
];
