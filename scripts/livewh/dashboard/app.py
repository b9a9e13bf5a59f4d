"""Streamlit entry script of ``livewh dashboard`` (run by ``streamlit run app.py -- --db PATH``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import streamlit as st

from livewh.dashboard.pages import run
from livewh.paths import resolve_db_path


def _db_path() -> Path:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db")
    known, _ = parser.parse_known_args(sys.argv[1:])
    return resolve_db_path(known.db)


st.set_page_config(page_title="livewh dashboard", layout="wide")
run(_db_path())
