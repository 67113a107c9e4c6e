"""Comparing a draft's claims with the corpus facts of the same key; building diagnostics."""

from __future__ import annotations

import difflib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from rapidfuzz import fuzz, process

from factlint.comparisons import majority_of
from factlint.corpus import CorpusIndex
from factlint.dateline import article_date
from factlint.diagnostics import Diagnostic, Evidence, Fix, Position, Range, Support
from factlint.drafts import parse_draft
from factlint.errors import StoreUnavailable
from factlint.extract import INITIAL_STATE, Extractor, Paragraph, State, StateUse
from factlint.factdb import StemSet, anchor_terms, min_quote_matched, when_terms
from factlint.facts import Fact, Provenance
from factlint.frames import frame_lexicon
from factlint.kinds.count import CountCheck
from factlint.kinds.date import DateCheck
from factlint.kinds.place import PlaceCheck
from factlint.kinds.role import RoleCheck
from factlint.kinds.statement_date import StatementDateCheck
from factlint.names import norm_word
from factlint.positions import LineIndex, trim_span
from factlint.quotes import quote_words, word_spans
from factlint.rules import RuleSet

ErrorCallback = Callable[[str, BaseException], None]


class ParseCache:
    """spaCy parses of paragraphs by text, so an edit re-parses only what changed."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._docs: OrderedDict[tuple[int, str], Any] = OrderedDict()
        self._lock = threading.Lock()
        self._spent = threading.local()

    def take_spent(self) -> float:
        """Seconds this thread spent in spaCy since it last asked (what a benchmark compares
        a check's time with)."""
        spent = getattr(self._spent, "seconds", 0.0)
        self._spent.seconds = 0.0
        return spent

    def parse(self, nlp: Any, texts: list[str]) -> list[Any]:
        out: list[Any] = [None] * len(texts)
        todo: list[int] = []
        with self._lock:
            for i, t in enumerate(texts):
                doc = self._docs.get((id(nlp), t))
                if doc is None:
                    todo.append(i)
                else:
                    self._docs.move_to_end((id(nlp), t))
                    out[i] = doc
        if todo:
            started = time.perf_counter()
            # (an edit's one paragraph: nlp() itself, without the batching of nlp.pipe)
            docs = [nlp(texts[todo[0]])] if len(todo) == 1 else \
                list(nlp.pipe([texts[i] for i in todo], batch_size=32))
            self._spent.seconds = getattr(self._spent, "seconds", 0.0) + (
                time.perf_counter() - started)
            with self._lock:
                for i, doc in zip(todo, docs, strict=True):
                    out[i] = doc
                    self._docs[(id(nlp), texts[i])] = doc
                while len(self._docs) > self.size:
                    self._docs.popitem(last=False)
        return out


PARSE_CACHE = ParseCache()
UNBOUNDED = 1 << 40  # ``crowded_key: 0``: every key picks out occurrences, however common


class Checker(RoleCheck, DateCheck, StatementDateCheck, CountCheck, PlaceCheck):
    def __init__(self, index: CorpusIndex, rules: RuleSet, text: str) -> None:
        self.index = index
        self.rules = rules
        self.text = text
        self.lines = LineIndex(text)
        self.titles = index.people.titles
        self.frames = frame_lexicon(rules)
        compare = rules.section("compare")
        self.quote_match = float(compare.get("quote_match", 0.8))
        self.quote_max_changed = int(compare.get("quote_max_changed", 4))
        self.min_words = int(rules.section("speech").get("min_quote_words", 4))
        # claims that were compared and agree: (claim, the corpus facts that support it)
        self.support: list[tuple[Fact, list[Fact]]] = []
        self._known: StemSet | None = None
        self.common_share = float(compare.get("common_anchor_share", 0.12))
        # however large the corpus: a name in more sentences than this, or a lookup key on
        # more facts, is crowded (a recurring subject, not one occurrence)
        self.crowded = int(compare.get("crowded_key", 100)) or UNBOUNDED  # 0: no bound

    def common(self, word: str) -> bool:
        """An anchor in so many corpus sentences that it cannot tell two events apart."""
        # the share of corpus sentences carrying it, counted at index time (factdb.sentence_df)
        share = self.index.anchor_share(word)
        return share >= self.common_share or round(
            share * self.index.db.n_sentences) > self.crowded  # (a count, not a float)

    def selective(self, terms: list[str]) -> list[str]:
        """The lookup terms that can pick out an occurrence: on at most ``crowded`` facts."""
        return [t for t in terms if self.index.db.term_count(t) <= self.crowded]

    def named_by_all(self, kind: str, bucket: str | None, words: list[str],
                     claim: Fact | None = None) -> list[Fact]:
        """The facts naming every one of ``words``, if few enough to be one occurrence's;
        with the ``claim`` they are compared with: if it is dated, only dated ones (the
        others are never the same occurrence, ``same_time``)."""
        dated = when_terms(claim.key.get("when") or []) if claim is not None else None
        return self.index.lookup_few(kind, bucket, anchor_terms(set(words)), self.crowded,
                                     dated)

    def crowded_bucket(self, kind: str, bucket: str) -> bool:
        """Too many facts of one event to compare a claim with all of them."""
        return self.index.db.bucket_size(kind, bucket) > self.crowded

    def all_known(self, key: dict[str, Any], words: list[str]) -> bool:
        """Does the corpus mention every name of the claim? A nationality adjective
        ("French publisher") stands for its country, which the corpus may spell as a noun."""
        loose = set(key.get("demonyms") or [])
        return all(self.known(a) for a in words if a not in loose)

    def known(self, word: str) -> bool:
        """Is this anchor (a name or a person id) something the corpus mentions at all?"""
        if self._known is None:
            def corpus_words() -> set[str]:
                words: set[str] = set(self.index.people.persons) | self.index.people.known_words
                for text in self.index.people.label_votes:
                    words.update(norm_word(w) for w in text.split())
                return words
            self._known = self.index.stem_set("known", corpus_words)  # once per corpus index
        known = self._known
        if word in known or known.stem_match_any(word):
            return True
        # a name the draft introduces ("Transports Delorme") whose words the corpus uses
        parts = [norm_word(w) for w in word.split()]
        return len(parts) > 1 and all(p in known or known.stem_match_any(p) for p in parts)

    # ------------------------------------------------------------------ diagnostics
    def diag(self, code: str, claim: Fact, claimed: str, expected: str, subject: str,
             evidence: list[Fact], fix_text: str | None = None,
             fix_span: tuple[int, int] | None = None) -> Diagnostic:
        rule = self.rules.checks[code]
        first = evidence[0].prov if evidence and evidence[0].prov else None
        message = rule.message.format(
            claimed=claimed, expected=expected, subject=subject,
            source=first.source if first else "corpus", line=first.line if first else 0)
        prov = claim.prov
        assert prov is not None
        rng = self.lines.range(prov.start, prov.end)
        fix = None
        span = fix_span or claim.value_span
        if fix_text is not None and span is not None and self.text[span[0]:span[1]] != fix_text:
            fix = Fix(self.lines.range(*span), fix_text, self.text[span[0]:span[1]])
        ev = tuple(self._evidence(f) for f in evidence if f.prov is not None)
        value_range = self.lines.range(*claim.value_span) if claim.value_span else None
        return Diagnostic(code=code, severity=rule.level, message=message, range=rng,
                          evidence=ev, fix=fix, link=rule.link,
                          claim=self.text[prov.start:prov.end], value_range=value_range)

    def supported(self) -> list[Support]:
        """The claims found consistent so far, each with its agreeing corpus sentences."""
        out: list[Support] = []
        for claim, facts in self.support:
            span = claim.value_span or (
                (claim.prov.start, claim.prov.end) if claim.prov is not None else None)
            if span is None or not facts:
                continue
            evidence: list[Evidence] = []
            seen: set[tuple[str, int]] = set()
            for f in (c for fact in facts for c in self.index.copies(fact)):
                if f.prov is not None and (f.prov.path, f.prov.line) not in seen:
                    seen.add((f.prov.path, f.prov.line))
                    evidence.append(self._evidence(f))
            out.append(Support(claim.kind, self.lines.range(*span), self.text[span[0]:span[1]],
                               tuple(evidence)))
        return out

    def _evidence(self, f: Fact) -> Evidence:
        p = f.prov
        assert p is not None
        rng = Range(Position(p.lsp[0], p.lsp[1]), Position(p.lsp[2], p.lsp[3]))
        return Evidence(source=p.source, path=p.path, line=p.line, text=p.text, range=rng,
                        fact=f.describe(self.index.people.display_names()))

    # ------------------------------------------------------------------ quotes
    def match_quote(self, words: list[str]) -> list[tuple[Fact, bool, tuple[int, int]]]:
        """Corpus quotes this one matches: (fact, exact?, (window start, end) in its words)."""
        if len(words) < self.min_words:
            return []
        # keyed fetch: only corpus quotes that share enough of these words to be a match
        quotes = self.index.quote_candidates(
            words, min_quote_matched(len(words), self.quote_match, self.min_words,
                                     self.quote_max_changed))
        if not quotes:
            return []
        query = " ".join(words)
        found = process.extract(query, [" ".join(f.value["words"]) for f in quotes],
                                scorer=fuzz.partial_ratio, score_cutoff=60, limit=12)
        out = []
        for _s, _score, i in found:
            fact = quotes[i]
            cwords = fact.value["words"]
            sm = difflib.SequenceMatcher(None, words, cwords, autojunk=False)
            blocks = _trim_strays([b for b in sm.get_matching_blocks() if b.size])
            matched = sum(b.size for b in blocks)
            if not blocks:
                continue
            if matched == len(words) and len(blocks) == 1:
                out.append((fact, True, (blocks[0].b, blocks[0].b + blocks[0].size)))
                continue
            # extend the window over unmatched words at either end (changed first/last words)
            w0 = max(0, blocks[0].b - blocks[0].a)
            tail = len(words) - (blocks[-1].a + blocks[-1].size)
            w1 = min(len(cwords), blocks[-1].b + blocks[-1].size + tail)
            changed = max(len(words) - matched, (w1 - w0) - matched)
            # the share of the shorter of the two quotations that aligns ("to rebuild alone"
            # / "to rebuild on its own"), with few words changed
            shortest = min(len(words), w1 - w0) or 1
            # a long run of words in the same order is the same quotation whatever the share
            run = max(b.size for b in blocks) >= 2 * self.min_words
            if (matched / shortest >= self.quote_match or run) \
                    and changed <= self.quote_max_changed and matched >= self.min_words:
                out.append((fact, False, (w0, w1)))
        return out

    def check_quote(self, claim: Fact) -> list[Diagnostic]:
        words = claim.value["words"]
        matches = self.match_quote(words)
        if not matches:
            return []
        speaker = claim.value.get("speaker")
        exact = [m for m in matches if m[1]]
        corpus_speakers = {m[0].value.get("speaker") for m in matches} - {None}
        person_speakers = {s for s in corpus_speakers if not s.startswith("org:")}
        if speaker and not speaker.startswith("org:") and person_speakers and \
                speaker not in person_speakers:
            best = (exact or matches)[0][0]
            expected_id = best.value.get("speaker")
            if expected_id is None or expected_id.startswith("org:"):
                expected_id = sorted(person_speakers)[0]
            people = self.index.people
            span = claim.extra.get("speaker_span")
            fix_text = None
            if span:
                spoken = claim.extra.get("speaker_text", "")
                fix_text = people.name_as_spoken(expected_id, spoken)  # as the draft wrote it
            return [self.diag("quote-speaker", claim, people.name(speaker),
                              people.name(expected_id), "quote", [best], fix_text,
                              tuple(span) if span else None)]
        if exact:
            self.support.append((claim, [m[0] for m in exact]))
            return []
        # near matches only: the wording changed
        fact, _, (w0, w1) = matches[0]
        ctext = fact.value["text"]
        cspans = word_spans(ctext)
        if len(cspans) != len(fact.value["words"]):
            return []
        window = ctext[cspans[w0][0]:cspans[w1 - 1][1]]
        fix_text, fix_span = self._wording_fix(claim, fact, (w0, w1))
        return [self.diag("quote-wording", claim, claim.value["text"], window,
                          "quote", [fact], fix_text, fix_span)]

    def _wording_fix(self, claim: Fact, fact: Fact, window: tuple[int, int]) -> tuple[
            str | None, tuple[int, int] | None]:
        content = claim.extra.get("content")
        if not content:
            return None, None
        dtext = self.text[content[0]:content[1]]
        dspans = word_spans(dtext)
        dwords = quote_words(dtext)
        ctext = fact.value["text"]
        cspans = word_spans(ctext)
        cwords = fact.value["words"][window[0]:window[1]]
        if len(dspans) != len(dwords):
            return None, None
        ops = [op for op in difflib.SequenceMatcher(None, dwords, cwords,
                                                    autojunk=False).get_opcodes()
               if op[0] != "equal"]
        if not ops:
            return None, None
        i1 = min(op[1] for op in ops)
        i2 = max(op[2] for op in ops)
        j1 = min(op[3] for op in ops) + window[0]
        j2 = max(op[4] for op in ops) + window[0]
        if i1 == i2 or j1 == j2:
            return None, None  # insertion/deletion only: no single replacement
        new = ctext[cspans[j1][0]:cspans[j2 - 1][1]]
        return new, (content[0] + dspans[i1][0], content[0] + dspans[i2 - 1][1])

    # ------------------------------------------------------------------ dates
    def _verdict(self, code: str, claim: Fact, cands: list[tuple[int, Fact]],
                 agrees: Callable[[dict[str, Any]], bool],
                 pairwise: Callable[[dict[str, Any], dict[str, Any]], bool] | None = None,
                 ) -> list[Diagnostic]:
        """The claim agrees with some candidate (noted as support), or contradicts them all:
        report it against the best-scored candidate of the corpus's majority value, which is
        the fix. Candidates with no majority value (several occurrences, or sources that
        disagree) say nothing."""
        agree = [f for _, f in cands if agrees(f.value)]
        if agree:
            self.support.append((claim, agree))
            return []
        if pairwise is not None:
            top = max(s for s, _ in cands)
            tier = [f for s, f in cands if s == top]  # the best-identified candidates
            keep = {id(f) for f in majority_of(tier, pairwise)}
            if not keep:
                return []
            cands = [(s, f) for s, f in cands if id(f) in keep]
        cands = sorted(cands, key=lambda c: -c[0])
        best = cands[0][1]
        return [self.diag(code, claim, claim.value["text"], best.value["text"],
                          _cap(claim.key["label"]), [f for _, f in cands[:3]],
                          best.value["text"])]


def _trim_strays(blocks: list[Any]) -> list[Any]:
    """Drop a one-word match at either end that lies further from the others in the corpus
    quotation than in the draft's ("... to cancel [the] whole week" matching the "the" of a
    later sentence): it would stretch the window over words the draft never quoted."""
    while len(blocks) > 1 and blocks[-1].size == 1 and \
            blocks[-1].b - (blocks[-2].b + blocks[-2].size) > \
            blocks[-1].a - (blocks[-2].a + blocks[-2].size) + 2:
        blocks = blocks[:-1]
    while len(blocks) > 1 and blocks[0].size == 1 and \
            blocks[1].b - (blocks[0].b + 1) > blocks[1].a - (blocks[0].a + 1) + 2:
        blocks = blocks[1:]
    return blocks


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


CHECKS = {"quote": "check_quote", "date": "check_date", "count": "check_count",
          "role": "check_role", "place": "check_place"}


@dataclass
class _ParagraphResult:
    index: CorpusIndex  # kept so that a recycled id() can never hit another index's entry
    diagnostics: list[Diagnostic]  # positions relative to the paragraph's first character
    state: State  # the state after the paragraph, coming in with the state it was run in
    supported: list[Support]  # the claims the corpus confirms, positions as above
    use: StateUse  # what it read of the state it came in with, and did
    before: State  # the state it came in with
    # the last draft position they were shifted to, and how they read there (a paragraph
    # an edit did not move is not shifted again)
    _at: tuple[int, int, tuple[Support, ...]] | None = field(default=None, compare=False)
    _diags_at: tuple[int, int, tuple[Diagnostic, ...]] | None = field(default=None,
                                                                     compare=False)

    def diagnostics_at(self, line: int, col: int) -> tuple[Diagnostic, ...]:
        """The findings shifted to a paragraph start (the same objects while the paragraph
        stays where it was, so an editor converts only what changed)."""
        at = self._diags_at
        if at is None or at[:2] != (line, col):
            at = self._diags_at = (line, col, tuple(_shift_diag(d, line, col)
                                                    for d in self.diagnostics))
        return at[2]

    def supported_at(self, line: int, col: int, codes: Any) -> tuple[Support, ...]:
        at = self._at
        if at is None or at[:2] != (line, col):
            at = self._at = (line, col, tuple(c.shifted(line, col) for c in self.supported))
        return tuple(c for c in at[2] if c.code in codes)


class ParagraphCache:
    """Per-paragraph results: paragraph text -> diagnostics, for every incoming discourse
    state that agrees with what the paragraph read of the one it was checked in
    (:class:`~factlint.extract.StateUse`), and the state after it. An edit re-extracts and
    re-checks the paragraphs it changed, and of those after them only the ones that read a
    part of the state it changed (a pronoun's antecedent, a pending speaker): a paragraph
    that reads none of it hands its state on without being read again."""

    VARIANTS = 4  # results kept per paragraph text, for as many incoming states

    def __init__(self, size: int = 16384) -> None:
        """``size``: paragraph texts kept (each with up to :attr:`VARIANTS` results)."""
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], list[_ParagraphResult]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...], index: CorpusIndex, state: State
            ) -> tuple[_ParagraphResult, State] | None:
        """A result of the paragraph ``key`` that holds coming in with ``state``, and the
        state after it; None if none does."""
        with self._lock:
            for hit in self._items.get(key, ()):
                if hit.index is not index:
                    continue
                if state is hit.before or state == hit.before:  # (an unchanged walk)
                    self._items.move_to_end(key)
                    return hit, hit.state
                if hit.use.holds_for(state):
                    self._items.move_to_end(key)
                    return hit, hit.use.after(state, hit.state)
            return None

    def put(self, key: tuple[Any, ...], value: _ParagraphResult) -> None:
        with self._lock:
            known = self._items.pop(key, [])
            self._items[key] = [value, *known[:self.VARIANTS - 1]]
            while len(self._items) > self.size:
                self._items.popitem(last=False)


PARAGRAPH_RESULTS = ParagraphCache()


def _shift(r: Range, line: int, col: int) -> Range:
    def pos(p: Position) -> Position:
        return Position(p.line + line, p.character + col if p.line == 0 else p.character)
    return Range(pos(r.start), pos(r.end))


def _shift_diag(d: Diagnostic, line: int, col: int) -> Diagnostic:
    return replace(d, range=_shift(d.range, line, col),
                   value_range=_shift(d.value_range, line, col) if d.value_range else None,
                   fix=replace(d.fix, range=_shift(d.fix.range, line, col)) if d.fix else None)


def check_draft(text: str, index: CorpusIndex, rules: RuleSet, nlp: Any, *, markdown: bool,
                on_error: ErrorCallback | None = None,
                cache: ParseCache = PARSE_CACHE,
                support: list[tuple[Fact, list[Fact]]] | None = None,
                results: ParagraphCache | None = PARAGRAPH_RESULTS,
                supported: list[Support] | None = None) -> list[Diagnostic]:
    """The findings of one draft. ``support`` receives the raw (claim, agreeing facts) pairs
    (and bypasses the paragraph cache); ``supported`` the confirmed claims in draft
    positions (cached per paragraph like the findings)."""
    draft = parse_draft(text, markdown)
    texts = [p.flat for p in draft.paragraphs]
    extractor = _draft_extractor(rules, index)
    # relative dates of a draft are resolved against its own date (front matter or
    # dateline); a draft with none has its relative dates ignored, never guessed
    extractor.ref_date = article_date(text, extractor.values).date
    if support is not None:
        results = None  # the caller wants the comparisons themselves: compute everything
    state: State = INITIAL_STATE
    keys = [(id(index), index.db.version, id(rules), extractor.ref_date, p.flat, p.text)
            for p in draft.paragraphs]
    docs: dict[int, Any] | None = None  # parsed from the first paragraph not answered
    out: list[Diagnostic] = []
    seen: set[tuple[str, Range, str]] = set()
    for i, para in enumerate(draft.paragraphs):
        key = keys[i]
        found = results.get(key, index, state) if results is not None else None
        if found is None:
            if docs is None:
                # one batch for the rest: unchanged paragraphs come from the parse cache
                docs = dict(zip(range(i, len(texts)), cache.parse(nlp, texts[i:]), strict=True))
            local, new_state, failed, confirmed, use = _check_paragraph(
                docs[i], para.text, state, index, rules, extractor, on_error, support)
            hit = _ParagraphResult(index, local, new_state, confirmed, use, state)
            if results is not None and not failed:
                results.put(key, hit)
        else:
            hit, new_state = found
        state = new_state
        if supported is not None:
            supported.extend(hit.supported_at(para.line, para.col, rules.checks))
        for d in hit.diagnostics_at(para.line, para.col):
            if d.code not in rules.checks:
                continue
            if draft.suppressions.suppressed(d.range.start.line, d.code):
                continue
            sig = (d.code, d.range, d.message)
            if sig in seen:
                continue
            seen.add(sig)
            out.append(d)
    out.sort(key=lambda d: (d.range.start, d.code))
    return out


_EXTRACTORS: OrderedDict[tuple[int, ...], tuple[Any, ...]] = OrderedDict()


def _draft_extractor(rules: RuleSet, index: CorpusIndex) -> Extractor:
    """The extractor for drafts of this corpus index and rules, made once per thread (its
    vocabularies and patterns are compiled on construction; ``ref_date`` is set per
    draft)."""
    key = (threading.get_ident(), id(rules), id(index.people), id(index.roles))
    known = _EXTRACTORS.get(key)
    if known is not None and known[0] is rules and known[1] is index.people \
            and known[2] is index.roles:
        return known[3]
    extractor = Extractor(rules, index.people, index.roles, allow_new=True)
    _EXTRACTORS[key] = (rules, index.people, index.roles, extractor)
    while len(_EXTRACTORS) > 4:  # an old index is not kept alive for long
        _EXTRACTORS.popitem(last=False)
    return extractor


def _check_paragraph(doc: Any, original: str, state: State, index: CorpusIndex,
                     rules: RuleSet, extractor: Extractor, on_error: ErrorCallback | None,
                     support: list[tuple[Fact, list[Fact]]] | None,
                     ) -> tuple[list[Diagnostic], State, bool, list[Support], StateUse]:
    """Claims of one paragraph checked against the corpus; positions relative to it."""
    plines = LineIndex(original)

    def prov(start: int, end: int) -> Provenance:
        start, end = trim_span(original, start, end)
        return Provenance("<draft>", "", plines.line_of(start) + 1, start, end,
                          original[start:end])

    claims, new_state, use = extractor.extract_paragraph(Paragraph(doc, 0), prov, state)
    checker = Checker(index, rules, original)
    found_all: list[Diagnostic] = []
    failed = False
    for claim in claims:
        method = CHECKS.get(claim.kind)
        if method is None:
            continue
        try:
            found_all.extend(getattr(checker, method)(claim))
        except StoreUnavailable:
            raise  # no facts to compare with: no answer at all, not one without them
        except Exception as exc:  # a failing check must not take the others down
            failed = True
            if on_error:
                line = claim.prov.line if claim.prov else "?"
                on_error(f"check {claim.kind} failed on line {line}", exc)
    if support is not None:
        support.extend(checker.support)
    return found_all, new_state, failed, checker.supported(), use
