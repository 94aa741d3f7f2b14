"""The register (登记簿): the procedure after the screen, carried out through documents edgescreen
prints and a clerk fills in, recorded in one SQLite file per county.

    from edgescreen.register import opened_register, issue_documents, record_documents
    with opened_register("农安县.db") as reg:   # worded as its rounds' rule set names its target
        issue_documents(reg, "文书/", dt.date(2019, 11, 25))   # register next
        record_documents(reg, ["文书/1-民主评议/合隆镇-前岗村.xlsx"])  # register record

Arguments as screen() takes them (pipeline.given_*): a path or a list of paths, a date as a date or
text ("2019-11-25"), an ID as text or a whole number, lang "zh" or "en", yes-or-no options True or False.

Rooms: db.py (the file and all SQL), procedure.py (the steps, as data), documents.py (writing a
document with its identity, reading a filled one), rounds.py (a screen recorded), steps.py (what is
due, recording a filled document), views.py (status, the 花名册, one household's history)."""

from .db import Register, open_register
from .measures import issue_measure_forms, support_gaps
from .registry import on_register, opened_register, registry, round_rules, use_round_words
from .trend import income_trend, write_income_trend
from .documents import Identity, open_filled, read_identity, row_hashes, stamp
from .procedure import procedure
from .rounds import RoundTarget, check_round_date, recording_round
from .steps import FileOutcome, NextOutcome, issue_documents, load_state, record_documents
from .views import event_words, export_register, household_history, measure_words, status_report, write_status

__all__ = ["Register", "open_register", "issue_measure_forms", "support_gaps", "on_register", "registry",
           "round_rules", "use_round_words", "opened_register", "income_trend", "write_income_trend", "Identity",
           "open_filled", "read_identity", "row_hashes", "stamp",
           "procedure", "check_round_date", "RoundTarget", "recording_round", "FileOutcome", "NextOutcome",
           "issue_documents", "load_state", "record_documents", "event_words", "export_register",
           "household_history", "measure_words", "status_report", "write_status"]
