"""The fact index: how a corpus becomes keyed facts, and stays up to date article by article.

- :mod:`~factlint.index.scan`: the corpus files, their stat, reading the changed ones;
- :mod:`~factlint.index.stages`: the per-document stages (parse, titles, other facts) as
  plain functions over batches; :mod:`~factlint.index.runners` runs them here or in
  worker processes, :mod:`~factlint.index.dask_runner` on a Dask cluster;
- :mod:`~factlint.index.reads`: what a document's extraction read of the corpus-wide
  state, so that only documents whose reads changed are extracted again;
- :mod:`~factlint.index.update`: one update, from the stat of the corpus to one transaction;
- :mod:`~factlint.index.tables` and :mod:`~factlint.index.dialect`: the tables, in SQLite
  (:mod:`factlint.store`) or PostgreSQL (:mod:`~factlint.index.pgstore`);
- :mod:`~factlint.index.freshness`: whether an index is current, without indexing.

The read side that checks use is :mod:`factlint.factdb`.
"""
