"""``livewh bench``: the scale benchmark of issue 10 (see README, "Measured").

Scenarios build generated shops with dbt into throwaway databases under ``build/bench/`` and
measure them from the outside: wall time, peak memory of the whole process tree, DuckDB's temp
spill, per-model times from dbt's ``run_results.json``, rows per second; the repurchase scenario
also runs the hand-written DuckDB floor (``benchmarks/floor_cohort_repurchase.sql``) and checks
that it and the mart give the same cohort table.
"""
