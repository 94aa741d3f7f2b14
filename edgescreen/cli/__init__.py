"""The command line: option parsing, progress display, and library errors mapped to exit codes.

- app.py — the `edgescreen` app and the process's entry point
- terminal.py — the language read before parsing; help and usage errors in the catalogue's words
- common.py — consoles, error mapping, options shared by several commands
- progress.py — the screening run's progress bar; tables.py — count tables that fit the terminal
- screen.py, check.py, explain.py, template.py, rules.py — one module per command

Every command calls the library (edgescreen.jobs, edgescreen.explain, edgescreen.rule_files …) and
prints what it returns; nothing below this package imports from it."""

from .app import app, main

__all__ = ["app", "main"]
