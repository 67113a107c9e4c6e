"""The engine facade: corpus index + rules + checking. Knows nothing of LSP or the CLI."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factlint.config import EngineConfig
from factlint.diagnostics import (
    Diagnostic,
    Support,
    diagnostic_from_record,
    diagnostic_record,
    support_from_record,
    support_record,
)
from factlint.errors import FactlintError
from factlint.resources import bundled_seeds
from factlint.result_cache import ResultCache

if TYPE_CHECKING:
    from factlint.facts import Fact
    from factlint.rules import CheckRule, RuleSet

ProgressCallback = Callable[[str, int, int], None]  # (message, done, total)

DRAFT_SUFFIXES = (".md", ".markdown", ".txt")
MARKDOWN_SUFFIXES = (".md", ".markdown")


class Engine:
    """Checks drafts against the facts of a corpus.

    Construction reads the rules (raising FactlintError on bad rule files): what an
    unchanged draft's cached result needs of them from the rules memo when the files are as
    they last loaded (:mod:`factlint.rules_memo`), the whole rule set on first use. The
    corpus is indexed lazily on first use, or explicitly with :meth:`load_corpus`. One
    Engine is meant to be used from one thread at a time for checking; :meth:`load_corpus`
    may run in another thread while the previous index keeps serving checks.
    """

    def __init__(self, config: EngineConfig | None = None) -> None:
        from factlint.result_cache import default_cache_dir
        from factlint.rules_memo import summarise_rules

        self.config = config or EngineConfig()
        self._lock = threading.Lock()
        self._rules_lock = threading.Lock()
        # the checks and digest, from the memo when the rule files are as they last loaded;
        # the rules themselves when something needs more of them than that
        try:
            cache_dir: Path | None = Path(self.config.cache_dir) if self.config.cache_dir \
                else default_cache_dir()
        except RuntimeError:  # no home folder to find a cache in: no memo
            cache_dir = None
        self._summary, self._rules = summarise_rules(list(self.config.rules), cache_dir)
        self._validate_overrides()
        self._index = None
        self._nlp = None
        self._corpus_key: str | None = None
        self.result_cache: ResultCache | None = None
        self.on_error: Callable[[str, BaseException], None] | None = None

    # -- configuration -------------------------------------------------------------------
    @property
    def rules(self) -> RuleSet:
        """The whole rule set (loaded on first use when the memo gave the summary)."""
        rules = self._rules
        if rules is None:
            with self._rules_lock:  # (an indexing thread and a check may both ask)
                rules = self._rules
                if rules is None:
                    rules = self._rules = self._load_rules()
        return rules

    def _load_rules(self) -> RuleSet:
        from factlint.rules import load_rules
        from factlint.rules_memo import summary_of

        rules = load_rules(self.config.rules)
        if rules.digest != self._summary.digest:  # changed since the memo was read
            self._summary, self._corpus_key = summary_of(rules), None
            self._validate_overrides()
        return rules

    @property
    def checks(self) -> dict[str, CheckRule]:
        """Every check code's description, level, message and link."""
        return self._summary.checks

    def _validate_overrides(self) -> None:
        for code, level in self.config.severity.items():
            if code not in self.checks:
                raise FactlintError(f"unknown check code in severity: {code!r}")
            if level not in ("error", "warning", "info", "hint"):
                raise FactlintError(f"invalid severity {level!r} for {code}")
        for code in self.config.disable:
            if code not in self.checks:
                raise FactlintError(f"unknown check code in disable: {code!r}")

    def configure(self, *, severity: dict[str, str] | None = None,
                  disable: list[str] | None = None) -> None:
        """Change severity overrides / disabled codes without re-indexing."""
        new = replace(self.config)
        if severity is not None:
            new.severity = dict(severity)
        if disable is not None:
            new.disable = list(disable)
        old = self.config
        self.config = new
        try:
            self._validate_overrides()
        except FactlintError:
            self.config = old
            raise

    @property
    def corpus_paths(self) -> list[Path]:
        return list(self.config.corpus) or [bundled_seeds()]

    # -- model and corpus ------------------------------------------------------------------
    @property
    def nlp(self):  # noqa: ANN201 - spaCy Language
        if self._nlp is None:
            from factlint.nlp import load_pipeline

            self._nlp = load_pipeline(self.config.model)
        return self._nlp

    def load_corpus(self, progress: ProgressCallback | None = None, *, force: bool = False):  # noqa: ANN201
        """Index the corpus (from the on-disk cache when it is current) and return it."""
        from factlint.corpus import build_index

        with self._lock:
            if self._index is not None and not force:
                return self._index
        from factlint.tok2vec_cache import bypassed

        with bypassed():  # a corpus is parsed once: its rows would push a draft's out
            index = build_index(self.corpus_paths, self.rules, self.config.cache_dir,
                                nlp_factory=lambda: self.nlp, progress=progress,
                                model=self.config.model, strict=self.config.strict_corpus,
                                store=self.config.store)
        with self._lock:
            self._index = index
        return index

    def reload_corpus(self, progress: ProgressCallback | None = None):  # noqa: ANN201
        self._corpus_key = None
        return self.load_corpus(progress, force=True)

    def enable_result_cache(self) -> None:
        """Keep whole-draft results on disk (for one-shot CLI runs; the server has its own
        paragraph cache and does not need it)."""
        self.result_cache = ResultCache(self.config.cache_dir)

    def keep_token_vectors(self) -> int:
        """Load the model and keep what its parses computed for the next parse (an editor's
        keystrokes): token vectors by their windows, so an edited paragraph re-embeds only
        the tokens near its edit (:mod:`factlint.tok2vec_cache`), and the entity
        recogniser's moves, so it decodes only there (:mod:`factlint.entity_resume`). The
        parse is the same. The number of models and components now keeping."""
        from factlint import entity_resume, tok2vec_cache

        return tok2vec_cache.install(self.nlp) + entity_resume.install(self.nlp)

    def _corpus_state(self, index: Any = None) -> str | None:
        """What a cached result depends on besides the draft: index key and corpus content
        (from the index when it is at hand, else from an up-to-date cached index; None
        when neither is known without indexing)."""
        from factlint.index.freshness import fresh_content, index_key

        if index is not None:
            content = index.content
        elif self._corpus_key is not None:
            return self._corpus_key
        else:
            content = fresh_content(self.corpus_paths, self._summary, self.config.cache_dir,
                                    self.config.model, self.config.store)
            if content is None:
                return None
        self._corpus_key = index_key(self.corpus_paths, self._summary,
                                     self.config.model) + content
        return self._corpus_key

    def index_known(self) -> bool:
        """Whether the corpus index is loaded or its cached copy is up to date: a check
        then indexes nothing."""
        return self._index is not None or self._corpus_state() is not None

    def _result_key(self, text: str, markdown: bool, index: Any = None) -> str | None:
        import hashlib

        state = self._corpus_state(index)
        if state is None:
            return None
        h = hashlib.sha256(f"{state}\0{int(markdown)}\0".encode())
        h.update(text.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def cached_result(self, text: str, markdown: bool,
                      supported: list[Support] | None = None) -> list[Diagnostic] | None:
        """The findings of a draft checked before, from the result cache (no spaCy, no fact
        index), filling ``supported`` too; None when it was not checked as it is now."""
        if self.result_cache is None:
            return None
        key = self._result_key(text, markdown)
        if key is None:
            return None
        entry = self.result_cache.get(key)
        if isinstance(entry, list):  # written before confirmed claims were kept
            entry = {"diagnostics": entry} if supported is None else None
        if not isinstance(entry, dict):
            return None
        if supported is not None:
            supported.extend(support_from_record(r) for r in entry.get("supported") or [])
        return [diagnostic_from_record(r) for r in entry["diagnostics"]]

    @property
    def fact_count(self) -> int:
        return len(self.load_corpus().facts)

    def facts(self) -> list[Fact]:
        return list(self.load_corpus().facts)

    # -- checking --------------------------------------------------------------------------
    def check_text(self, text: str, path: str = "<stdin>", *,
                   markdown: bool | None = None,
                   support: list[tuple[Fact, list[Fact]]] | None = None,
                   supported: list[Support] | None = None,
                   use_cache: bool = True) -> list[Diagnostic]:
        """Check one draft's text. ``markdown`` defaults to the path's suffix (.md/.markdown).

        ``support``, when given, receives (claim, agreeing corpus facts) for every claim that
        was compared with the corpus and found consistent; ``supported`` receives the same
        as :class:`~factlint.diagnostics.Support` in draft positions (what an editor shows
        as "✓ 2 sources"), from the per-paragraph cache when it can. ``use_cache=False``
        neither reads nor writes the whole-draft result cache (an editor's keystrokes).

        Raises :class:`factlint.errors.DraftTooLarge` (before parsing) when the text is over
        ``config.max_draft_bytes``.
        """
        from factlint.limits import check_draft_size

        check_draft_size(text, self.config.max_draft_bytes, path)  # before any parsing
        if markdown is None:
            markdown = path.lower().endswith(MARKDOWN_SUFFIXES)
        cacheable = use_cache and support is None and self.result_cache is not None
        diags = self.cached_result(text, markdown, supported) if cacheable else None
        key = None
        if diags is None:
            confirmed: list[Support] = []
            from factlint.check import check_draft

            index = self.load_corpus()
            errors: list[str] = []
            on_error = self.on_error

            def note_error(msg: str, exc: BaseException) -> None:
                errors.append(msg)
                if on_error:
                    on_error(msg, exc)

            with index.snapshot():  # (which reads another process's update first)
                key = self._result_key(text, markdown, index) if cacheable else None
                # the confirmed claims, for the caller or the result cache
                wanted = supported is not None or key is not None
                diags = check_draft(text, index, self.rules, self.nlp, markdown=markdown,
                                    on_error=note_error, support=support,
                                    supported=confirmed if wanted else None)
            if supported is not None:
                supported.extend(confirmed)
            if key is not None and not errors and self.result_cache is not None:
                self.result_cache.put(key, {"diagnostics": [diagnostic_record(d) for d in diags],
                                            "supported": [support_record(c) for c in confirmed]})
        return self._overridden(diags, supported)

    def spacy_seconds(self) -> float:
        """The time this thread's checks spent in spaCy since it last asked."""
        from factlint.check import PARSE_CACHE

        return PARSE_CACHE.take_spent()

    def check_cached(self, text: str, path: str, *, markdown: bool | None = None,
                     supported: list[Support] | None = None) -> list[Diagnostic] | None:
        """What :meth:`check_text` would return, if the result cache knows this text (no
        spaCy, no fact index: what an editor can show while they load); else None."""
        if markdown is None:
            markdown = path.lower().endswith(MARKDOWN_SUFFIXES)
        diags = self.cached_result(text, markdown, supported)
        return None if diags is None else self._overridden(diags, supported)

    def _overridden(self, diags: list[Diagnostic],
                    supported: list[Support] | None) -> list[Diagnostic]:
        """The user's severity overrides and disabled codes applied."""
        if supported is not None:  # a disabled check confirms nothing either
            supported[:] = [c for c in supported if c.code not in self.config.disable]
        out: list[Diagnostic] = []
        for d in diags:
            if d.code in self.config.disable:
                continue
            level = self.config.severity.get(d.code)
            out.append(replace(d, severity=level) if level else d)
        return out
