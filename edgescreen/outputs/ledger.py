"""The CSV outputs: the ledger (decisions.csv) and the issue list (issues.csv), UTF-8 with BOM so
Excel and WPS on Windows open them as Chinese text; and the one reader of both.

Under `--lang en` their columns carry the machine names of domain §7. Under zh (the default) the
same columns carry Chinese headers and the codes in them become words (认定结果 贫困边缘户候选, 原因
人均纯收入在认定标准范围内, 严重程度 错误), and the codes follow again in trailing columns under
their machine names (`status` and `reasons`; `code`) for programs. `read_ledger` and `read_issues`
read either set back into the machine names. issues.csv holds the issues of the households' rows and
then, in a run with a members table, those of the member rows, its last column (`table`) saying which.
"""

from __future__ import annotations

import itertools
import pickle
import re
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..catalogue import (
    STATUSES,
    Lang,
    Phrase,
    fields,
    label,
    members_catalogue,
    messages,
    rosters_catalogue,
    status_codes,
)
from ..checks import id_faults
from ..classify import check_titles, reason_titles
from ..errors import InputError, os_reason
from ..inputs import column_letter, text_encoding
from ..issues import (
    COMPUTED_FIELDS,
    ISSUE_COLUMNS,
    ISSUE_TABLES,
    OPTIONAL_ISSUE_COLUMNS,
    IssueLog,
    rendered,
)
from ..result import LEDGER_COLUMNS, LEDGER_ORDER, OPTIONAL_LEDGER_COLUMNS
from ..systemic import RowRuns
from .privacy import csv_safe

if TYPE_CHECKING:
    from ..result import Result

# Columns that hold text from the input, guarded against formula injection.
_INPUT_TEXT = ["source_file", "sheet", "township", "village", "household_id", "head_name", "head_id", "value", "message"]

# Columns of the ledger and the issue list whose values repeat from row to row (and their codes' columns).
_FEW_VALUES = {"source_file", "sheet", "township", "village", "residents", "status", "reasons", "field", "code",
               "severity", "category", "status_code", "reasons_code", "code_code", "table"}

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_QUOTE_NEEDED = re.compile(r'[",\r\n]')
_CHUNK_ROWS = 100_000
# Households per slice of the ledger as it is written.
LEDGER_SLICE = 100_000


def _guarded(column: pd.Series) -> np.ndarray:
    """csv_safe over a column, asked only about the values that begin as a formula would."""
    return _csv_cells(column, guard=True, quote=False)


def _csv_cells(column: pd.Series, *, guard: bool = False, quote: bool = True, few: bool = False) -> np.ndarray:
    """A column as its CSV cells: text as it is, numbers as Python prints them, NA as ''; with
    `guard`, input text that a spreadsheet would run gets csv_safe's apostrophe; with `quote`, a
    value holding a comma, a quote or a line break is quoted as the csv module quotes it. The
    column is joined once and scanned, so cells are looked at one by one only when a scan hits.
    `few`: a column of few distinct values (a status, a village), made once per distinct value."""
    if few and len(column):
        codes, distinct = pd.factorize(column, use_na_sentinel=False)
        if len(distinct) * 4 <= len(column):
            return _csv_cells(pd.Series(distinct), guard=guard, quote=quote)[codes]
    values = column.to_numpy(dtype=object, na_value="")
    if pd.api.types.infer_dtype(values, skipna=False) in ("string", "empty"):
        text = np.array(values, dtype=object)  # a copy: the cells below may change
    else:
        text = np.fromiter(map(str, values), dtype=object, count=len(values))
    joined = "\x00" + "\x00".join(text)
    if guard and any("\x00" + start in joined for start in _FORMULA_STARTS):
        risky = np.fromiter(map(str.startswith, text, itertools.repeat(_FORMULA_STARTS)), dtype=bool,
                            count=len(text))
        text[risky] = csv_safe(pd.Series(text[risky], dtype=object)).to_numpy(dtype=object)
    if quote and any(char in joined for char in '",\r\n'):
        needs = pd.Series(text, dtype=object).str.contains(_QUOTE_NEEDED, regex=True).to_numpy(dtype=bool)
        text[needs] = ['"' + v.replace('"', '""') + '"' for v in text[needs]]
    return text


def write_csv(frame: pd.DataFrame, path: Path, headers: list[str] | None = None) -> None:
    """UTF-8 with BOM, CRLF, comma-separated, minimal quoting: what pandas' to_csv writes, row for
    row, built column-wise and joined in chunks (twice as fast as the csv module on a million rows).
    `headers`: the header row's words, one per column (the column names by default; the columns
    keep their machine names, which say what is input text to guard)."""
    if len(frame.columns) < 2:  # a lone empty field must be quoted: leave that rule to pandas
        out = frame.copy(deep=False)
        for col in _INPUT_TEXT:
            if col in out.columns:
                out[col] = _guarded(out[col])
        out.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n",
                   header=headers if headers is not None else True)
        return
    write_csv_parts([frame], path, headers)


def write_csv_parts(parts: Iterable[pd.DataFrame], path: Path, headers: list[str] | None = None) -> None:
    """write_csv for a table that comes in slices of rows (the same columns in each), so that a
    million-row ledger is never held as text all at once."""
    with open(path, "wb") as fh:
        header = None
        for part in parts:
            if header is None:
                header = _csv_header(headers if headers is not None else [str(c) for c in part.columns])
                fh.write(header)
            _write_csv_rows(part, fh)


def _csv_header(words: list[str]) -> bytes:
    """The BOM and the header row."""
    return ("\ufeff" + ",".join(_csv_cells(pd.Series(words, dtype=object))) + "\r\n").encode("utf-8")


def _write_csv_rows(part: pd.DataFrame, fh) -> None:
    """The rows of `part` as CSV lines, written to the binary file `fh` a chunk of rows at a time."""
    for start in range(0, len(part), _CHUNK_ROWS):
        rows = part.iloc[start:start + _CHUNK_ROWS]
        cells = [_csv_cells(rows[c], guard=c in _INPUT_TEXT, few=c in _FEW_VALUES) for c in rows.columns]
        fh.write(("\r\n".join(map(",".join, zip(*cells))) + "\r\n").encode("utf-8"))


# The columns that hold codes, kept again after the worded columns of a Chinese file; internal names
# while written (the header row names them by their machine names).
_LEDGER_CODES = {"status": "status_code", "reasons": "reasons_code"}
_ISSUE_CODES = {"code": "code_code"}


def csv_headers(columns: list[str], lang: Lang) -> list[str]:
    """The header row of decisions.csv or issues.csv in `lang` (the machine names under en)."""
    return [label(f"csv_{c}", lang) for c in columns]


def _map_joined(column: pd.Series, words: dict[str, str]) -> pd.Series:
    """';'-joined items mapped item by item (an item without words stays as it is); each distinct
    combination is mapped once, as a ledger holds few."""
    column = column.fillna("")
    distinct = pd.unique(column.to_numpy(dtype=object))
    return column.map({combo: ";".join(words.get(c, c) for c in combo.split(";") if c) for combo in distinct})


def reason_words(reasons: pd.Series, lang: Lang) -> pd.Series:
    """';'-joined reason codes as ';'-joined words."""
    return _map_joined(reasons, reason_titles(lang))


def roster_titles(lang: Lang) -> dict[str, str]:
    """Each roster kind's short name (roster_short_<code>), by code: the words of roster_flags."""
    return {k.code: label(f"roster_short_{k.code}", lang) for k in rosters_catalogue().kind}


def ledger_for(rows: pd.DataFrame, lang: Lang) -> tuple[pd.DataFrame, list[str]]:
    """Ledger rows (machine names) as decisions.csv writes them in `lang`, and the header row."""
    if lang == "en":
        return rows, list(rows.columns)
    words = {s: label(s, lang) for s in STATUSES}
    worded = {"roster_flags": _map_joined(rows["roster_flags"], roster_titles(lang))} \
        if "roster_flags" in rows.columns else {}
    out = rows.assign(status=rows["status"].map(words).fillna(rows["status"]),
                      reasons=reason_words(rows["reasons"], lang), **worded,
                      **{inner: rows[code] for code, inner in _LEDGER_CODES.items()})
    return out, csv_headers(list(rows.columns), lang) + list(_LEDGER_CODES)


def field_words(lang: Lang) -> dict[str, str]:
    """Each field an issue may name, as people read it: a survey column by its canonical header, a
    computed value (per-capita income) by its label."""
    labels = messages().labels
    return {**{name: labels[name](lang) for name in COMPUTED_FIELDS}, **{f.name: f.header for f in fields().field}}


def issue_field_words(lang: Lang) -> dict[str, str]:
    """field_words, and the fields of a member row's issue (姓名, 身份证号, 是否常住 …) by their
    canonical headers: the names issues.csv gives its fields under zh."""
    return {**{f.name: f.header for f in members_catalogue().field}, **field_words(lang)}


def issue_table_words(lang: Lang) -> dict[str, str]:
    """Each of ISSUE_TABLES (the `table` column's values) in words."""
    return {t: label(f"issue_table_{t}", lang) for t in ISSUE_TABLES}


def issues_for(issues: pd.DataFrame, lang: Lang) -> tuple[pd.DataFrame, list[str]]:
    """The issue table's §7 columns as issues.csv writes them in `lang`, and the header row: under
    zh the field by its canonical header, the check by its short title, the severity in words. With
    a `table` column (a run with a members table), that too, last, in words under zh."""
    tables = "table" in issues.columns
    table = issues[ISSUE_COLUMNS + OPTIONAL_ISSUE_COLUMNS if tables else ISSUE_COLUMNS]
    if lang == "en":
        return table, issue_headers(lang, tables=tables)
    worded = {"table": table["table"].map(issue_table_words(lang)).fillna(table["table"])} if tables else {}
    out = table.assign(field=table["field"].map(issue_field_words(lang)).fillna(table["field"]),
                       code=table["code"].map(check_titles(lang)).fillna(table["code"]),
                       severity=table["severity"].map({s: label(s, lang) for s in ("error", "warning")})
                       .fillna(table["severity"]), **worded,
                       **{inner: table[code] for code, inner in _ISSUE_CODES.items()})
    if tables:  # the code column again before the table's, as issues.csv without members ends
        out = out[ISSUE_COLUMNS + list(_ISSUE_CODES.values()) + OPTIONAL_ISSUE_COLUMNS]
    return out, issue_headers(lang, tables=tables)


def issue_headers(lang: Lang, *, tables: bool = False) -> list[str]:
    """The header row of issues.csv in `lang`: the machine names under en; under zh the Chinese
    headers, then the code column again under its machine name. `tables`: a run with a members
    table, whose issues.csv ends with the `table` column (所在表 under zh)."""
    extra = OPTIONAL_ISSUE_COLUMNS if tables else []
    if lang == "en":
        return ISSUE_COLUMNS + extra
    return csv_headers(ISSUE_COLUMNS, lang) + list(_ISSUE_CODES) + csv_headers(extra, lang)


def write_ledger(result: Result, path: Path, lang: Lang = "zh") -> None:
    """decisions.csv in `lang`, written a slice of households at a time: its text is never all in memory."""
    n = len(result.households)
    slices = (ledger_for(result.ledger_rows(start, start + LEDGER_SLICE), lang)
              for start in range(0, max(1, n), LEDGER_SLICE))
    first, headers = next(slices)
    write_csv_parts(itertools.chain([first], (rows for rows, _ in slices)), path, headers)


# Issues per part of issues.csv, each rendered and written by whichever process claims it.
ISSUE_PART = 10_000


def write_issue_part(gathered: Path, path: Path, lang: Lang) -> None:
    """A task of runtime.WorkShare: one part of issues.csv from the arrays IssueFile.tasks pickled
    into the file `gathered` (removed once read), rendered in `lang` and written to `path` as CSV
    rows, without the header."""
    with open(gathered, "rb") as fh:
        frame = pickle.load(fh)
    gathered.unlink()
    _write_issue_rows(frame, path, lang)


def _write_issue_rows(frame: dict[str, np.ndarray], path: Path, lang: Lang) -> None:
    with open(path, "wb") as fh:
        _write_csv_rows(issues_for(rendered(frame, lang), lang)[0], fh)


class IssueFile:
    """issues.csv written in parts of ISSUE_PART issues, then joined (`assemble`): every part either
    written here (`write_here`) or as a task (`tasks`) for a runtime.WorkShare, so that the helper
    process writes some while this one writes other files. A task's issues go to it as a file of
    their arrays, pickled when the tasks are made, so that however many issues there are, each
    process holds one part's at a time. The parts are files in a folder beside issues.csv, removed
    once joined (and with the staging folder if the run fails). The households' issues come first,
    then (a run with a members table) the member rows' own, each part of one table's issues; the
    file then ends with the `table` column."""

    def __init__(self, result: Result, path: Path, lang: Lang = "zh", *, size: int | None = None):
        self.result, self.path, self.lang = result, Path(path), lang
        self.size = ISSUE_PART if size is None else size
        self._folder = self.path.with_name(self.path.name + ".parts")
        self._tables = result.members is not None
        totals = {"households": len(result.issue_index),
                  "members": len(result.members.log.index()) if self._tables else 0}
        # (table, first issue, end) of each part, in the order of the file.
        self._slices = [(table, start, min(start + self.size, total)) for table, total in totals.items()
                        for start in range(0, total, self.size)]
        self._parts = [self._folder / f"{i:05d}.csv" for i in range(len(self._slices))]

    def _sources(self) -> dict[str, tuple[IssueLog, pd.DataFrame, pd.DataFrame, dict]]:
        """Per table with issues: its log, the rows its issues take their provenance from, where its
        fields sit, and that provenance as arrays (IssueLog.provenance)."""
        result, out = self.result, {}
        tables = {table for table, _, _ in self._slices}
        if "households" in tables:
            out["households"] = (result.log, result.households, result.columns,
                                 IssueLog.provenance(result.households))
        if "members" in tables:  # the member rows' own place and name (members.Members.provenance)
            members = result.members
            rows = np.unique(members.log.index()["hh"].to_numpy(dtype=np.int64))
            frame = members.provenance(result.households, rows)
            out["members"] = (members.log, frame, members.columns, IssueLog.provenance(frame))
        return out

    def _gathered(self) -> Iterator[tuple[dict[str, np.ndarray], Path]]:
        if self._parts:
            self._folder.mkdir(exist_ok=True)
        sources = self._sources()
        for (table, start, stop), part in zip(self._slices, self._parts):
            log, rows_of, columns, provenance = sources[table]
            frame = log.gathered(rows_of, columns, np.arange(start, stop), provenance)
            if self._tables:
                frame["table"] = np.full(stop - start, table, dtype=object)
            yield frame, part

    def tasks(self) -> list[tuple]:
        """A task per part, its issues' arrays pickled beside it now."""
        out = []
        for frame, part in self._gathered():
            gathered = part.with_suffix(".pickle")
            with open(gathered, "wb") as fh:
                pickle.dump(frame, fh, protocol=pickle.HIGHEST_PROTOCOL)
            out.append(("write_issues", write_issue_part, (gathered, part, self.lang)))
        return out

    def write_here(self) -> None:
        """Every part rendered and written in this process."""
        for frame, part in self._gathered():
            _write_issue_rows(frame, part, self.lang)

    def assemble(self) -> None:
        """issues.csv: the header row and every part, in order (all written by now)."""
        with open(self.path, "wb") as fh:
            fh.write(_csv_header(issue_headers(self.lang, tables=self._tables)))
            for part in self._parts:
                with open(part, "rb") as src:
                    shutil.copyfileobj(src, fh, 1 << 20)
        if self._parts:
            shutil.rmtree(self._folder)


def write_issues(result: Result, path: Path, lang: Lang = "zh") -> None:
    """issues.csv in `lang`, the issue table's columns of domain §7 (and the member rows' issues
    after the households', with the `table` column, in a run with a members table), written in this
    process a part of issues at a time: a million issues are never all rendered at once."""
    issues = IssueFile(result, path, lang)
    issues.write_here()
    issues.assemble()


def _read_table(path: Path, what: str) -> pd.DataFrame:
    """A CSV as text, every cell as written (UTF-8 with or without BOM, or GB18030 as Excel saves
    a CSV on a Chinese Windows)."""
    path = Path(path)
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=text_encoding(path))
    except OSError as exc:
        raise InputError("table_unreadable", file=path.name, what=Phrase(what), reason=os_reason(exc)) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError):
        raise InputError("table_not_csv", file=path.name, what=Phrase(what)) from None


def _machine_names(frame: pd.DataFrame, path: Path, what: str, columns: list[str],
                   codes: dict[str, str], words: dict[str, dict[str, str]]) -> tuple[pd.DataFrame, bool]:
    """A table written under either header set, with the machine names `columns`: under the Chinese
    set, the worded columns give way to the trailing code columns (`codes`, machine name → worded
    column's header), or, where a program or a person has removed those, the words are turned back
    into codes (`words`: column → {word: code}; ';'-joined words for reasons). Columns it does not
    know are kept, after the known ones. Also says whether the file was written under zh."""
    found = list(frame.columns)
    if set(columns) <= set(found):
        return frame[columns + [c for c in found if c not in columns]], False
    zh = dict(zip(csv_headers(columns, "zh"), columns))
    missing = [h for h in zh if h not in found]
    if missing:  # name the missing columns of the set the file is nearer to
        missing = min(missing, [c for c in columns if c not in found], key=len)
        raise InputError("table_columns", file=Path(path).name, what=Phrase(what), missing=missing)
    out = frame.copy()
    for code, header in codes.items():
        if code in found:
            out[header] = out.pop(code)
        elif code in words:  # the words back into codes
            out[header] = _map_joined(out[header], words[code])
    out = out.rename(columns=zh)
    return out[columns + [c for c in out.columns if c not in columns]], True


def read_ledger(path: str | Path) -> pd.DataFrame:
    """decisions.csv read back under the machine names of domain §7, whichever header set it was
    written with (--lang zh or en): every cell as text as written, `status` and `reasons` as codes.
    This is how every command reads a ledger. A copy saved again from a spreadsheet is read as it
    is (GB18030, no BOM, 1234.5 for 1234.50), unless its head IDs were lost (_refuse_lost_ids)."""
    codes = {c: label(f"csv_{c}", "zh") for c in _LEDGER_CODES}
    table = _read_table(Path(path), "ledger_what")
    status_header = label("csv_status", "zh")
    seen = pd.unique(table[status_header].to_numpy(dtype=object)) if status_header in table.columns else ()
    words = {"status": status_codes("zh", seen),
             "reasons": {word: code for code, word in reason_titles("zh").items()}}
    frame, _ = _machine_names(table, Path(path), "ledger_what", LEDGER_COLUMNS, codes, words)
    # The optional columns (result.OPTIONAL_LEDGER_COLUMNS) by their machine names too, in their place.
    frame = frame.rename(columns=dict(zip(csv_headers(OPTIONAL_LEDGER_COLUMNS, "zh"), OPTIONAL_LEDGER_COLUMNS)))
    frame = frame.rename(columns={label("csv_roster_flags_before", "zh"): "roster_flags"})  # a ledger of before
    if "roster_flags" in frame.columns:  # under zh the kinds' short names: back to their codes
        frame["roster_flags"] = _map_joined(frame["roster_flags"], {w: c for c, w in roster_titles("zh").items()})
    _refuse_lost_ids(frame, list(table.columns), Path(path))
    known = [c for c in LEDGER_ORDER if c in frame.columns]
    return frame[known + [c for c in frame.columns if c not in known]]


def _refuse_lost_ids(frame: pd.DataFrame, headers: list[str], path: Path) -> None:
    """Refuses a ledger whose head IDs a spreadsheet turned into numbers when it was opened and
    saved again (2.20122E+17, or 15 digits then 000): the digits are gone, and a spot check drawn
    from it would print wrong IDs. An ID the screen itself found so (its row's reasons hold
    id_malformed: the survey had it that way) is the record, and stays."""
    ids = frame["head_id"].to_numpy(dtype=object)
    lost = id_faults(ids) == "id_excel_number"
    if not lost.any():
        return
    at = np.flatnonzero(lost)
    seen = np.fromiter(("id_malformed" in str(r).split(";") for r in frame["reasons"].to_numpy(dtype=object)[at]),
                       dtype=bool, count=len(at))
    at = at[~seen]
    if not len(at):
        return
    header = next(h for h in (label("csv_head_id", "zh"), "head_id") if h in headers)
    raise InputError("ledger_ids_lost", file=path.name, rows=RowRuns(at + 2),
                     column=Phrase("field_at_column", column=column_letter(headers.index(header)), header=header))


def read_issues(path: str | Path) -> pd.DataFrame:
    """issues.csv read back under the machine names of domain §7, whichever header set it was written
    with: the field by its name, the code, the severity as `error` or `warning`; and, from a run with
    a members table, `table` after them: `households` or `members` (a member row's own issue)."""
    codes = {c: label(f"csv_{c}", "zh") for c in _ISSUE_CODES}
    titles = {word: code for code, word in check_titles("zh").items()}
    out, chinese = _machine_names(_read_table(Path(path), "issues_what"), Path(path), "issues_what", ISSUE_COLUMNS,
                                  codes, {"code": titles})
    if chinese:  # the field, the severity and the table back from words
        names = {word: name for name, word in issue_field_words("zh").items()}
        out["field"] = out["field"].map(names).fillna(out["field"])
        out["severity"] = out["severity"].map({label(s, "zh"): s for s in ("error", "warning")}).fillna(out["severity"])
        header = label("csv_table", "zh")
        if header in out.columns and "table" not in out.columns:
            words = {word: table for table, word in issue_table_words("zh").items()}
            out = out.rename(columns={header: "table"})
            out["table"] = out["table"].map(words).fillna(out["table"])
    return out
