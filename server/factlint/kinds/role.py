"""The role claim kind: who holds which title.

Extraction (title phrases before, after and around a person's mention) and the comparison of a
draft's title with the corpus titles of the same person, as mixins of the extractor and the
checker, so that everything about titles lives here and in titles.py / rules/titles.yml.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from factlint.factdb import office_scope_terms
from factlint.facts import Fact
from factlint.names import norm_word
from factlint.people import Mention
from factlint.titles import AGREE, CONTRADICT, OTHER, Title

if TYPE_CHECKING:
    from factlint.diagnostics import Diagnostic
    from factlint.extract import _Ctx, _State


_PREPS = frozenset({"of", "for", "at", "to", "with"})
_ARTICLES = frozenset({"the", "a", "an"})
_HYPHENS = frozenset({"-", "–", "‐"})
_POSS = frozenset({"'s", "’s"})


class RoleExtraction:
    """Mixed into ``Extractor``: finds role facts in a paragraph.

    The tokens handed to the title parser are the whole title phrase, complements included
    ("X, chief executive of Air India," / "X, the head of the Mweka health zone, said" /
    "Uganda's incident commander X"); the parser says which part of them is the title, and
    the fact keeps that part as written."""

    def _title_word(self, t: Any) -> bool:
        if t.pos_ in ("PROPN", "NOUN", "ADJ") or t.text in _POSS:
            return True
        if (t.pos_ == "X" or t.text.isupper() and len(t.text) > 1) and t.text.isalpha():
            return True  # "WHO", "CMA" (the small model tags "WHO" as a pronoun)
        return t.pos_ in ("VERB", "ADV") and self.titles.knows(t.text)  # "Acting", "newly"

    @staticmethod
    def _joins(doc: Any, i: int) -> bool:
        """A hyphen inside a word: "Director-General", "centre-back"."""
        return (doc[i].text in _HYPHENS and 0 < i < len(doc) - 1
                and not doc[i - 1].whitespace_ and not doc[i].whitespace_)

    def _honorific(self, t: Any) -> bool:
        return t.text.rstrip(".").lower() in self.people.honorifics

    def _possessor(self, ctx: _Ctx, i: int) -> int | None:
        """Start of a mention at token i that is a possessive ("Putin's spokesman")."""
        for m in ctx.mentions:
            if m.start <= i < m.end and m.end < len(ctx.doc) and ctx.doc[m.end].text in _POSS:
                return m.start
        return None

    @staticmethod
    def _embedded(ctx: _Ctx, i: int) -> tuple[int, int] | None:
        """A name used as a modifier inside the phrase: "the [Mweka] health zone"."""
        doc = ctx.doc
        for m in ctx.mentions:
            if m.start <= i < m.end and m.start > 0 and m.end < len(doc) and \
                    doc[m.start - 1].lower_ in _ARTICLES | _PREPS and \
                    doc[m.end].pos_ == "NOUN" and doc[m.end].text.islower():
                return m.start, m.end
        return None

    def _grow_title_left(self, doc: Any, i: int, toks: list[Any]) -> int | None:
        """Token i joins the title read leftwards in ``toks`` (a hyphenated word, a
        preposition or article inside it, a title word): where to read next, or None."""
        t = doc[i]
        if self._joins(doc, i):
            toks[0:0] = [doc[i - 1], t]
            return i - 2
        if (t.lower_ in _PREPS or t.lower_ in ("and", "&")) and toks:
            toks.insert(0, t)  # "Minister for Civil Protection", "police and crime"
            return i - 1
        if t.lower_ in _ARTICLES and toks and i > 0 and doc[i - 1].lower_ in _PREPS:
            toks.insert(0, t)  # "Speaker of the National Assembly X"
            return i - 1
        if self._title_word(t):
            toks.insert(0, t)
            return i - 1
        return None

    def _title_phrase_before(self, ctx: _Ctx, m: Mention) -> list[Any]:
        doc = ctx.doc
        toks: list[Any] = []
        i = m.start - 1
        while i >= 0:
            t = doc[i]
            if ctx.inq.inside(t.idx) or ctx.mention_at(i) or self._honorific(t):
                break
            grown = self._grow_title_left(doc, i, toks)
            if grown is None:
                break
            i = grown
        while toks and (toks[0].lower_ in _PREPS or toks[0].lower_ in _ARTICLES
                        or toks[0].lower_ in ("and", "&") or toks[0].text in _POSS
                        or toks[0].text in _HYPHENS):
            toks.pop(0)
        return toks

    @staticmethod
    def _copula(doc: Any, i: int) -> tuple[int, bool] | None:
        """"who is", "who had been", "who serves as" at token i: where the title starts,
        and whether it is a past one."""
        if i >= len(doc) or doc[i].lower_ != "who":
            return None
        words = [t.lower_ for t in doc[i + 1:i + 3]]
        for form, past in ((("is",), False), (("remains",), False), (("has", "been"), False),
                           (("serves", "as"), False), (("was",), True), (("had", "been"), True),
                           (("served", "as"), True)):
            if tuple(words[:len(form)]) == form:
                k = i + 1 + len(form)
                while k < len(doc) and doc[k].lower_ in ("also", "now", "still", "currently"):
                    k += 1
                return k, past
        return None

    def _appositive_after_rank(self, ctx: _Ctx, m: Mention) -> tuple[list[Any], str | None]:
        """The appositive after a name, and "former" for "X, who was/had been Y,"."""
        doc = ctx.doc
        i = m.end
        if i >= len(doc) or doc[i].text != ",":
            return [], None
        i += 1
        rank = None
        copula = self._copula(doc, i)
        if copula is not None:
            i, past = copula  # "X, who had been a transport minister since 2023,"
            rank = "former" if past else None
        toks: list[Any] = []
        while i < len(doc) and doc[i].lower_ in ("then", "now", "formerly", "previously"):
            toks.append(doc[i])  # "X, then the business secretary,"
            i += 1
        if i < len(doc) and doc[i].lower_ in _ARTICLES:
            i += 1
        lead = len(toks)
        while i < len(doc):
            t = doc[i]
            if ctx.inq.inside(t.idx):
                return [], None
            if ctx.mention_at(i):
                start = self._possessor(ctx, i)
                span = (start, next(mm.end for mm in ctx.mentions if mm.start == start)) \
                    if start == i else self._embedded(ctx, i)
                if span is None or span[0] != i:
                    return [], None  # "X, the son of President Y": not X's title
                toks.extend(doc[span[0]:span[1]])
                i = span[1]
                continue
            if self._joins(doc, i):
                toks.extend([t, doc[i + 1]])
                i += 2
                continue
            if (t.lower_ in _PREPS or t.lower_ in ("and", "&")) and toks:
                toks.append(t)
                i += 1
                continue
            if t.lower_ in _ARTICLES and toks and toks[-1].lower_ in _PREPS | {"and"}:
                toks.append(t)
                i += 1
                continue
            if self._title_word(t):
                toks.append(t)
                i += 1
                continue
            break
        if i < len(doc) and doc[i].pos_ != "PUNCT" and not self._time_tail(doc, i):
            return [], None
        if len(toks) == lead:
            return [], None
        while toks and (toks[-1].lower_ in _PREPS or toks[-1].lower_ in _ARTICLES
                        or toks[-1].lower_ in ("and", "&")):
            toks.pop()
        return toks, rank

    @staticmethod
    def _time_tail(doc: Any, i: int) -> bool:
        """"X, the MP for Wakefield South since 2015, said": a date after the title."""
        if doc[i].lower_ not in ("since", "until", "from", "in"):
            return False
        for k in range(i + 1, min(i + 6, len(doc))):
            if doc[k].text in (",", ";", ")") or k == len(doc) - 1 and doc[k].text == ".":
                return any(doc[j].ent_type_ == "DATE" or doc[j].like_num
                           for j in range(i + 1, k))
            if doc[k].pos_ in ("VERB", "AUX"):
                return False
        return False

    def _appositive_before(self, ctx: _Ctx, m: Mention) -> list[Any]:
        doc = ctx.doc
        i = m.start - 1
        if i < 1 or doc[i].text != ",":
            return []
        if m.end < len(doc) and doc[m.end].text not in (",", ".", ";"):
            return []
        toks: list[Any] = []
        i -= 1
        while i >= 0:
            t = doc[i]
            if ctx.inq.inside(t.idx):
                return []
            if ctx.mention_at(i):
                start = self._possessor(ctx, i)
                if start is None:
                    span = self._embedded(ctx, i)
                    start = span[0] if span is not None else None
                if start is None:
                    return []
                toks[0:0] = list(doc[start:i + 1])  # "Putin's spokesman, Dmitry Peskov,"
                i = start - 1
                continue
            grown = self._grow_title_left(doc, i, toks)
            if grown is None:
                break
            i = grown
        if i >= 0 and doc[i].lower_ not in ("the", "a", "an", ","):
            return []
        while toks and (toks[0].lower_ in _PREPS or toks[0].text in _POSS
                        or toks[0].lower_ in ("and", "&")):
            toks.pop(0)
        return toks

    def _read_titles(self, ctx: _Ctx, toks: list[Any], mode: str) -> list[tuple[Title, list[Any]]]:
        """Titles of a token run, each with the tokens it was read from."""
        words: list[str] = []
        groups: list[list[Any]] = []
        k = 0
        while k < len(toks):
            t = toks[k]
            if t.text in _HYPHENS and groups and k + 1 < len(toks) and not t.whitespace_ \
                    and not groups[-1][-1].whitespace_:
                # "Director" "-" "General" is one word
                groups[-1] += [t, toks[k + 1]]
                words[-1] += t.text + toks[k + 1].text
                k += 2
                continue
            text = t.text
            if t.is_sent_start and t.pos_ in ("NOUN", "ADJ", "VERB", "ADV") and \
                    not t.ent_type_ and not text.isupper() and \
                    norm_word(text) not in self.people.known_words:
                # "Credit analyst X": a capital that only starts the sentence is no scope
                # (a word the corpus writes with a capital, "Harbourside", keeps it)
                text = text[:1].lower() + text[1:]
            words.append(text)
            groups.append([t])
            k += 1
        out = []
        for title, wi, wj in self.titles.read(words, mode):
            out.append((title, [t for g in groups[wi:wj] for t in g]))
        return out

    def _roles(self, ctx: _Ctx) -> list[Fact]:
        facts: list[Fact] = []
        previous: tuple[Mention, Title, list[Any]] | None = None
        for m in ctx.mentions:
            found_all: list[tuple[Title, list[Any]]] = []
            after, rank = self._appositive_after_rank(ctx, m)
            for toks, mode, extra in ((self._title_phrase_before(ctx, m), "before", None),
                                      (after, "after", rank),
                                      (self._appositive_before(ctx, m), "after", None)):
                if toks:
                    found_all.extend(
                        (replace(t, rank=t.rank + (extra,)) if extra and extra not in t.rank
                         else t, tt) for t, tt in self._read_titles(ctx, toks, mode))
            for extra_title in found_all[1:]:
                facts.append(self._role_fact(ctx, m, *extra_title, found_all))
            found = found_all[0] if found_all else None
            before = found is not None and found[1][-1].i < m.start
            inherited = False
            if found is None and previous is not None:
                # "senior envoys Steve Witkoff and Keith Kellogg": the title covers the pair
                pm, ptitle, ptoks = previous
                between = ctx.doc[pm.end:m.start].text.strip()
                if between in ("and", ",", ", and"):
                    found = (ptitle, ptoks)
                    inherited = True
            if found is None:
                previous = None
                continue
            title, toks = found
            # "senior envoys A and B": only a title before the names covers the next one
            previous = (m, title, toks) if before or inherited else None
            facts.append(self._role_fact(ctx, m, title, toks, found_all))
        return facts

    def _role_fact(self, ctx: _Ctx, m: Mention, title: Title, toks: list[Any],
                   found: list[tuple[Title, list[Any]]] | None = None) -> Fact:
        surface = ctx.text[toks[0].idx:toks[-1].idx + len(toks[-1].text)]
        title = replace(title, surface=surface)
        # "president and chief executive": the other titles of the same phrase
        siblings = [t.to_json() for t, tt in found or []
                    if (tt[0].i, tt[-1].i) == (toks[0].i, toks[-1].i)
                    and (t.office, t.specs, t.rank) != (title.office, title.specs, title.rank)]
        start = min(toks[0].idx, m.start_char)
        end = max(toks[-1].idx + len(toks[-1].text), m.end_char)
        return self._fact(
            ctx, "role", {"person": m.person, "label": f"title of {self.people.name(m.person)}"},
            {"title": title.surface, "parsed": title.to_json(), "with": siblings},
            (start, end), (toks[0].idx, toks[-1].idx + len(toks[-1].text)),
            extra={"name_span": [ctx.offset + m.start_char, ctx.offset + m.end_char]})

    def resolve_title(self, title: Title, state: _State | None) -> str | None:
        candidates = self.roles.holders(title, self.titles)
        leader = self.titles.names_leader(title)
        if len(candidates) == 1 and (title.scope or leader):
            return candidates[0]
        if candidates and state is not None:
            for pid in reversed(state.recent[-4:]):
                if pid in candidates:
                    return pid
        return None


class RoleCheck:
    """Mixed into ``Checker``: compares a role claim with the corpus.

    A draft title agrees with a corpus title of the same person when both can describe one
    post (``TitleLexicon.relation``); it fires when it is strictly another person's title
    (the same post, held by someone else), or when every corpus title of the person that
    says something about it contradicts it. Titles of another side of the person (a captain
    and a defender) are set aside; titles that are neither the same nor a contradiction (a
    former post, another scope) keep it silent."""

    def check_role(self, claim: Fact) -> list[Diagnostic]:
        pid = claim.key["person"]
        title = Title.from_json(claim.value["parsed"])
        lex = self.titles
        known = self.index.lookup("role", pid)  # keyed fetch: this person's titles
        parsed = [(f, Title.from_json(f.value["parsed"])) for f in known]
        if title.generic:
            # "official", "head of ...": only another title of the same office says anything
            same = [(f, t) for f, t in parsed if t.office == title.office]
            rels = [(f, lex.relation(title, t)) for f, t in same]
            agree = [f for f, r in rels if r == AGREE]
            if agree:
                self.support.append((claim, agree))
                return []
            if rels and all(r == CONTRADICT for _, r in rels):
                return [self._role_diag(claim, title, [f for f, _ in rels])]
            return []
        specific = [(f, t) for f, t in parsed if not t.generic]
        if title.scope:
            # "Ukrainian President Putin": the bare "President Putin" says nothing about the
            # country when the corpus also gives a scoped title of the same office
            scoped = {t.office for _, t in specific if t.scope}
            specific = [(f, t) for f, t in specific if t.scope or t.office not in scoped]
        rels = [(f, t, lex.relation(title, t)) for f, t in specific]
        agree = [f for f, _, r in rels if r == AGREE]
        if agree:
            self.support.append((claim, agree))
            return []
        people = self.index.people
        name = people.name(pid)
        holders = self._holders(title, pid, specific)
        considered = [(f, t, r) for f, t, r in rels if r != OTHER]
        siblings = [Title.from_json(d) for d in claim.value.get("with") or []]
        if any(lex.relation(s, t) == AGREE for s in siblings for _, t in specific):
            return []  # "president and chief executive": the corpus has one of the two
        best = self._best_fix(title, considered)
        if holders and (known or pid in people.persons):
            holder = holders[0]
            expected = (f"{best.value['title']} (\"{title.surface}\" is "
                        f"{people.name(holder.key['person'])}'s title)") if best else \
                f"\"{title.surface}\" as {people.name(holder.key['person'])}'s title"
            fix = best.value["title"] if best else None
            return [self.diag("role", claim, f'"{title.surface}"', expected, name,
                              ([best] if best else []) + [holder], fix)]
        # titles of another moment ("incoming chair", "former minister") say nothing of the
        # post now: the ones of the claim's moment decide
        moment = set(title.rank) - lex.firm_ranks
        now = [(f, t, r) for f, t, r in considered if set(t.rank) - lex.firm_ranks == moment]
        if now and all(r == CONTRADICT for _, _, r in now):
            return [self._role_diag(claim, title, [f for f, _, _ in now])]
        return []

    def _holders(self, title: Title, pid: str, specific: list[Any]) -> list[Fact]:
        """Other people's titles of strictly this post (``TitleLexicon.same_office``), fetched
        by office and scope: a post is one holder's in one scope, so only titles sharing a
        scope word's stem key can be it."""
        lex = self.titles
        if not lex.is_post(title):
            return []  # no title is the same post as this one
        parsed = title.to_json()

        def others(terms: list[str]) -> list[tuple[Fact, Title]]:
            return [(f, Title.from_json(f.value["parsed"]))
                    for f in self.index.lookup("role", None, terms) if f.key["person"] != pid]

        holders: list[Fact] = []
        if title.scope or title.area:
            scoped = [t for t in office_scope_terms(parsed) if not t.endswith("\x1f")]
            holders = [f for f, t in others(scoped) if lex.same_office(title, t)]
        if not holders and specific and (title.specs or title.area):
            # "Minister of State for Health X" when the corpus gives that post to Y only
            # (a scoped title here can only be that post without a scope there)
            terms = [f"os:{title.office}\x1f"] if title.scope else ["o:" + str(title.office)]
            unscoped = [f for f, t in others(terms) if lex.same_office(title, t, unscoped=True)]
            if len({f.key["person"] for f in unscoped}) == 1:
                holders = unscoped
        return holders

    def _best_fix(self, title: Title, considered: list[tuple[Fact, Title, str]]) -> Fact | None:
        """The corpus title to offer: one of the same office first ("Deputy Foreign
        Minister" for "Foreign Minister"), then the first one; never one bound to another
        moment ("who was Uganda's health minister" is no fix for "Health Minister")."""
        firm = self.titles.firm_ranks
        now = [(f, t) for f, t, _ in considered
               if set(t.rank) - firm == set(title.rank) - firm]
        if not now:
            return None
        same = [f for f, t in now if t.office == title.office]
        return same[0] if same else now[0][0]

    def _role_diag(self, claim: Fact, title: Title, facts: list[Fact]) -> Diagnostic:
        best = self._best_fix(title, [(f, Title.from_json(f.value["parsed"]), CONTRADICT)
                                      for f in facts]) or facts[0]
        # the sentence to fix it from, and one more: a copy of it elsewhere, else another
        evidence = (self.index.copies(best, 2) + [f for f in facts if f is not best])[:2]
        return self.diag("role", claim, f'"{title.surface}"', f'"{best.value["title"]}"',
                         self.index.people.name(claim.key["person"]), evidence,
                         best.value["title"])
