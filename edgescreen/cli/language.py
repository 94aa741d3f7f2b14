"""The language a command line asks for, read from its raw arguments before anything is parsed (and
before the rest of the command line loads): --lang xx, --lang=xx, else EDGESCREEN_LANG, else zh."""

from __future__ import annotations

import os

LANGS = ("zh", "en")


def lang_of(args: list[str]) -> str:
    """An unknown value gives zh here; the command itself refuses it with a message."""
    asked = os.environ.get("EDGESCREEN_LANG")
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            asked = args[i + 1]
        elif arg.startswith("--lang="):
            asked = arg.split("=", 1)[1]
    return asked if asked in LANGS else "zh"
