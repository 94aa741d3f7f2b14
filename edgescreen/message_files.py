"""The message catalogue's files (data/messages/*.toml) read and merged, without validation and
without pydantic: what catalogue.py validates, and what the command line's first instant can use
before the rest of the program has loaded (its one line for Ctrl-C)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources


@cache
def message_tables() -> dict[str, dict]:
    """The files of data/messages/ merged table by table; a key given in two files is an error."""
    merged: dict[str, dict] = {}
    folder = resources.files("edgescreen.data").joinpath("messages")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        with entry.open("rb") as fh:
            data = tomllib.load(fh)
        for table, items in data.items():
            into = merged.setdefault(table, {})
            twice = sorted(set(into) & set(items))
            if twice:
                raise ValueError(f"messages/{entry.name}: [{table}] {', '.join(twice)} given in another file too")
            into.update(items)
    return merged
