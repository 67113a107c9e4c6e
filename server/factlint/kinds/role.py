"""The role claim kind: who holds which title.

Extraction (title phrases before, after and around a person's mention) and the comparison of a
draft's title with the corpus titles of the same person, as mixins of the extractor and the
checker, so that everything about titles lives here and in titles.py / rules/titles.yml.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from factlint.facts import Fact
from factlint.people import Mention
from factlint.titles import Title

if TYPE_CHECKING:
    from factlint.diagnostics import Diagnostic
    from factlint.extract import _Ctx, _State


class RoleExtraction:
    """Mixed into ``Extractor``: finds role facts in a paragraph."""

    def _title_phrase_before(self, ctx: _Ctx, m: Mention) -> list[Any]:
        doc = ctx.doc
        toks: list[Any] = []
        i = m.start - 1
        while i >= 0:
            t = doc[i]
            if ctx.inq.inside(t.idx) or ctx.mention_at(i):
                break
            if t.pos_ in ("PROPN", "NOUN", "ADJ") or t.lower_ in ("of", "'s", "’s") or (
                    t.pos_ == "PART" and t.text in ("'s", "’s")) or t.pos_ == "NUM" and False:
                if t.text.rstrip(".").lower() in self.people.honorifics:
                    break
                toks.insert(0, t)
                i -= 1
                continue
            if t.pos_ == "ADV" and t.lower_ in ("newly",):
                toks.insert(0, t)
                i -= 1
                continue
            break
        while toks and toks[0].lower_ in ("of", "'s", "’s"):
            toks.pop(0)
        return toks

    def _appositive_after(self, ctx: _Ctx, m: Mention) -> list[Any]:
        doc = ctx.doc
        i = m.end
        if i >= len(doc) or doc[i].text != ",":
            return []
        i += 1
        if i < len(doc) and doc[i].lower_ in ("the", "a", "an"):
            i += 1
        toks = []
        while i < len(doc):
            t = doc[i]
            if ctx.inq.inside(t.idx):
                return []
            if t.pos_ in ("PROPN", "NOUN", "ADJ") or t.lower_ in ("of", "'s", "’s"):
                toks.append(t)
                i += 1
                continue
            break
        if i < len(doc) and doc[i].text not in (",", ".", ";") and doc[i].pos_ != "PUNCT":
            return []
        return toks

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
            if ctx.inq.inside(t.idx) or ctx.mention_at(i):
                return []
            if t.pos_ in ("PROPN", "NOUN", "ADJ") or t.lower_ in ("of", "'s", "’s"):
                toks.insert(0, t)
                i -= 1
                continue
            break
        if i >= 0 and doc[i].lower_ not in ("the", "a", "an", ","):
            return []
        return toks

    def _roles(self, ctx: _Ctx) -> list[Fact]:
        facts: list[Fact] = []
        previous: tuple[Mention, Title, list[Any]] | None = None
        for m in ctx.mentions:
            found_all: list[tuple[Title, list[Any]]] = []
            for toks in (self._title_phrase_before(ctx, m), self._appositive_after(ctx, m),
                         self._appositive_before(ctx, m)):
                if not toks:
                    continue
                title = self.titles.parse([t.text for t in toks])
                if title is not None:
                    found_all.append((title, toks))
            for extra_title in found_all[1:]:
                facts.append(self._role_fact(ctx, m, *extra_title))
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
            facts.append(self._role_fact(ctx, m, title, toks))
        return facts

    def _role_fact(self, ctx: _Ctx, m: Mention, title: Title, toks: list[Any]) -> Fact:
        surface = ctx.doc.text[toks[0].idx:toks[-1].idx + len(toks[-1].text)]
        title = Title(title.office, title.scope, title.rank, surface, title.generic)
        start = min(toks[0].idx, m.start_char)
        end = max(toks[-1].idx + len(toks[-1].text), m.end_char)
        return self._fact(
            ctx, "role", {"person": m.person, "label": f"title of {self.people.name(m.person)}"},
            {"title": title.surface, "parsed": title.to_json()},
            (start, end), (toks[0].idx, toks[-1].idx + len(toks[-1].text)),
            extra={"name_span": [ctx.offset + m.start_char, ctx.offset + m.end_char]})

    def resolve_title(self, title: Title, state: _State | None) -> str | None:
        candidates = []
        leader = self.titles.names_leader(title)
        for pid, titles in self.roles.titles.items():
            for k in titles:
                if leader:
                    ok = (k.office in ("head-of-state", "head-of-government")
                          or (k.generic and self.titles.names_leader(k))) and bool(k.scope) \
                        and self.titles.scopes_compatible(title, k)
                elif title.generic:
                    ok = False
                else:
                    ok = (k.office == title.office and set(k.rank) == set(title.rank)
                          and self.titles.scopes_compatible(title, k)
                          and (bool(title.scope) or bool(k.scope) or True))
                if ok:
                    candidates.append(pid)
                    break
        if len(candidates) == 1 and (title.scope or leader):
            return candidates[0]
        if candidates and state is not None:
            for pid in reversed(state.recent[-4:]):
                if pid in candidates:
                    return pid
        return None


class RoleCheck:
    """Mixed into ``Checker``: compares a role claim with the corpus."""

    def check_role(self, claim: Fact) -> list[Diagnostic]:
        pid = claim.key["person"]
        title = Title.from_json(claim.value["parsed"])
        if title.generic:
            return []
        known = self.index.lookup("role", pid)  # keyed fetch: this person's titles
        specific = [f for f in known if not Title.from_json(f.value["parsed"]).generic]
        if title.scope:
            # "Ukrainian President Putin": the bare "President Putin" says nothing about the
            # country when the corpus also gives a scoped title of the same office
            scoped = {Title.from_json(f.value["parsed"]).office for f in specific
                      if Title.from_json(f.value["parsed"]).scope}
            specific = [f for f in specific if Title.from_json(f.value["parsed"]).scope
                        or Title.from_json(f.value["parsed"]).office not in scoped]
        agree = [f for f in specific
                 if self.titles.compatible(title, Title.from_json(f.value["parsed"]))]
        if agree:
            self.support.append((claim, agree))
            return []
        people = self.index.people
        name = people.name(pid)
        holders = [f for f in self.index.lookup("role", None, ["o:" + str(title.office)])
                   if f.key["person"] != pid
                   and self.titles.same_office(title, Title.from_json(f.value["parsed"]))]
        if holders and (known or pid in people.persons):
            holder = holders[0]
            expected = (f"{specific[0].value['title']} (\"{title.surface}\" is "
                        f"{people.name(holder.key['person'])}'s title)") if specific else \
                f"\"{title.surface}\" as {people.name(holder.key['person'])}'s title"
            fix = specific[0].value["title"] if specific else None
            return [self.diag("role", claim, f'"{title.surface}"', expected, name,
                              ([specific[0]] if specific else []) + [holder], fix)]
        firm_ranks = self.titles.firm_ranks
        if specific and title.rank and set(title.rank) <= firm_ranks and all(
                self.titles.offices_compatible(title, Title.from_json(f.value["parsed"]))
                and not Title.from_json(f.value["parsed"]).rank for f in specific):
            # "Deputy Foreign Minister X" where the corpus has X as the minister himself
            return [self.diag("role", claim, f'"{title.surface}"',
                              f'"{specific[0].value["title"]}"', name, specific[:2],
                              specific[0].value["title"])]
        if specific and all(
                not self.titles.offices_compatible(title, Title.from_json(f.value["parsed"]))
                for f in specific):
            return [self.diag("role", claim, f'"{title.surface}"',
                              f'"{specific[0].value["title"]}"', name, specific[:2],
                              specific[0].value["title"])]
        return []
