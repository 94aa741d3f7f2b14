"""`edgescreen sample`: draw the spot-check sample (抽查核实) from a ledger or a register, and write its
blind verification forms. Options, a call into edgescreen.spotcheck, and the lines the clerk reads."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..catalogue import label
from ..inputs import shell_word
from .common import LangOpt, check_lang, out, run_guarded
from .wrapping import say_prose

Source = Annotated[Path, typer.Argument(show_default=False)]


def sample(
    source: Source,
    out_dir: Annotated[Optional[Path], typer.Option("--out", "-o")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed")] = None,
    villages: Annotated[Optional[int], typer.Option("--villages")] = None,
    listed_rate: Annotated[float, typer.Option("--listed-rate")] = 0.10,
    unlisted_rate: Annotated[float, typer.Option("--unlisted-rate")] = 0.20,
    cap: Annotated[int, typer.Option("--cap")] = 200,
    margin: Annotated[Optional[float], typer.Option("--margin")] = None,
    confidence: Annotated[float, typer.Option("--confidence")] = 0.95,
    expected_rate: Annotated[float, typer.Option("--expected-rate")] = 0.5,
    round_id: Annotated[Optional[int], typer.Option("--round", min=1)] = None,
    only: Annotated[Optional[list[str]], typer.Option("--only")] = None,
    force: Annotated[bool, typer.Option("--force")] = False,
    lang: LangOpt = "zh",
) -> None:
    """`edgescreen sample` (its help: help_sample and opt_sample_* in data/messages/spotcheck.toml)."""
    lang = check_lang(lang)

    def job():
        from ..spotcheck.design import SpotCheckError
        from ..spotcheck.sample import sample_into

        if cap < 0:  # 0 is no cap
            raise SpotCheckError("spot_whole_number", option="--cap", least=0, value=repr(cap))

        return sample_into(source, out_dir, seed=seed, villages=villages, listed_rate=listed_rate,
                           unlisted_rate=unlisted_rate, cap=cap or None, margin=margin, confidence=confidence,
                           expected_rate=expected_rate, lang=lang, force=force, round_id=round_id,
                           only=only or None)

    done = run_guarded(job, lang)
    from ..outputs.places import village_keys
    from ..spotcheck.sample import (empty_side_text, not_drawn_text, not_recorded_text, only_text, seed_warning,
                                    set_apart_text, villages_drawn_from)
    v = done.design.villages
    forms = label("spot_forms_folder", lang)
    names = [str(done.folder), str(source), f"{done.folder}/{forms}/", f"{forms}/"]
    for text, style in [
        (label("spot_sample_done", lang, households=done.households, listed=done.listed,
               unlisted=done.households - done.listed, villages=villages_drawn_from(done.design), of=len(v),
               folder=str(done.folder)), None),
        # --only: which villages, and that the rates will be theirs, not the county's.
        *([(limited, "bold")] if (limited := only_text(done.only, len(village_keys(done.source.households)), lang))
          else []),
        (label("spot_sample_seed_os" if done.seed_from_os else "spot_sample_seed", lang, seed=done.seed),
         "bold" if done.seed_from_os else None),
        *([(warning, "bold yellow")] if (warning := seed_warning(done.seed, done.seed_guessable, lang)) else []),
        *([(apart, "yellow")] if (apart := set_apart_text(done.source, lang)) else []),
        # Survey rows the register kept as one household (a head's ID on two rows): in no stratum, named.
        *([(unrecorded, "bold yellow")] if (unrecorded := not_recorded_text(done.source, lang)) else []),
        *([(gap, "bold yellow")] if (gap := not_drawn_text(done.design, lang)) else []),
        *([(one_side, "bold yellow")] if (one_side := empty_side_text(done.design, lang)) else []),
        # No 填表人 in the register for this round: backcheck's comparison by enumerator needs the survey files.
        *([(label("spot_sample_no_enumerators", lang), None)]
          if done.source.kind == "register" and not done.source.has_enumerator else []),
        (label("spot_sample_next", lang, forms=done.forms, folder=forms), None),
    ]:
        say_prose(out, text, indent=2, keep=names, style=style)
    # The command to copy: one line, never wrapped (a terminal's own wrapping copies back whole).
    command = label("spot_sample_command", lang, source=shell_word(str(source)),
                    forms=shell_word(os.path.join(str(done.folder), forms, "")))
    out.print("  " + command, markup=False, highlight=False, soft_wrap=True)
