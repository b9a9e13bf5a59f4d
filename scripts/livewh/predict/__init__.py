"""Repeat-purchase predictions: who will come back, how often, and what they are worth.

BG/NBD (purchase days) and Gamma-Gamma (net USD per purchase day) from PyMC-Marketing's CLV
module, fitted on per-buyer summaries of the orders mart in days. The dbt Python models of
``models/marts/predictions/`` call :mod:`livewh.predict.step`; ``livewh predict`` runs and times the
same step on a warehouse file (:mod:`livewh.predict.bench`).

Modules: :mod:`~livewh.predict.summaries` (frequency, recency, T per buyer, inside DuckDB),
:mod:`~livewh.predict.models` (fits and predictions), :mod:`~livewh.predict.step` (what the dbt
models return), :mod:`~livewh.predict.compiledir` (PyTensor's compile cache).
"""
