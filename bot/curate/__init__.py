"""Curating a damaged bilingual transcript into the pack's passages and corrections.

Each source has a folder ``data/transcript/<source>/`` holding ``decisions.yaml`` (the curator's
hand-made repair decisions and their reasons: data only) and what ``build`` makes from it,
``passages.yaml`` and ``corrections.yaml``. ``python -m bot.curate build|verify <source>`` runs
the steps; ``python -m bot check`` calls :func:`bot.curate.audit.audit_all`, so CI refuses a
passage file that is stale or leaves a raw line unexplained.

Imports go one way: ``decisions`` (reading) <- ``build`` (computing) <- ``audit`` (judging)
<- ``__main__`` (the command line). Nothing here imports the rest of ``bot`` but ``bot.pack``'s
``Problem``, so ``check`` can use it without a cycle.
"""
