"""Shared builders: survey workbooks and CSV files made in the test, in the layouts counties print.

Imported by name (`from survey_builders import ...`): a module called conftest would clash with
rules/tests/conftest.py."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import xlsxwriter

from edgescreen.checks import id_check_characters

# The canonical headers of a complete single-row form, in a usual order.
HEADERS = ["乡(镇)", "行政村", "村民小组", "户编号", "户主姓名", "户主身份证号", "联系电话", "家庭人口数",
           "家庭常住人口数", "工资性收入", "家庭经营收入", "财产性收入", "转移性收入", "家庭总收入",
           "家庭经营费用支出", "生产性固定资产折旧", "税金和上交承包费用", "家庭生产经营性支出",
           "是否低保户", "是否特困人员", "是否建档立卡贫困户", "主要困难", "备注"]
INCOME = ["工资性收入", "家庭经营收入", "财产性收入", "转移性收入"]
EXPENSES = ["家庭经营费用支出", "生产性固定资产折旧", "税金和上交承包费用"]

_serial = itertools.count(1)


def make_id(birth: str = "19700101", region: str = "220122", serial: int | None = None) -> str:
    """A valid 18-character ID (GB 11643 check character computed)."""
    import pandas as pd

    serial = next(_serial) % 1000 if serial is None else serial
    prefix = f"{region}{birth}{serial:03d}"
    return prefix + id_check_characters(pd.Series([prefix])).iloc[0]


def household(**overrides) -> dict:
    """One household as a dict keyed by canonical header: by default, a clean candidate
    (wage 10,000 − costs 0, 3 residents → 3,333.33 per person)."""
    record = {
        "乡(镇)": "合隆镇", "行政村": "前岗村", "村民小组": "一组", "户编号": "",
        "户主姓名": "张三", "户主身份证号": make_id(), "联系电话": "13812345678",
        "家庭人口数": 3, "家庭常住人口数": 3,
        "工资性收入": 10000, "家庭经营收入": 0, "财产性收入": 0, "转移性收入": 0,
        "家庭经营费用支出": 0, "生产性固定资产折旧": 0, "税金和上交承包费用": 0,
        "是否低保户": "否", "是否特困人员": "否", "是否建档立卡贫困户": "否", "主要困难": "", "备注": "",
    }
    record.update(overrides)
    for total, parts in (("家庭总收入", INCOME), ("家庭生产经营性支出", EXPENSES)):
        if total not in overrides and all(isinstance(record.get(p), (int, float)) for p in parts):
            record[total] = sum(record[p] for p in parts)
    return record


def _write_value(ws, r, c, value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(r, c, value)
    elif value is None or value == "":
        pass
    else:
        ws.write_string(r, c, str(value))


def write_workbook(path: Path, sheets: dict[str, list[dict]] | list[dict], *, layout: str = "simple",
                   headers: list[str] | None = None, extra_rows: list[list] = (), more: list[str] = ()) -> Path:
    """Write households to an .xlsx. layout: 'simple' (header in row 1), 'title' (a title row and a
    填报单位 line above the header), 'two_row' (title rows, then a two-row header with the income and
    expense groups merged over their components, 合计 as each group's total, a 合计 row and a
    footer). `headers` overrides the column headers (same order as HEADERS); `more` are columns
    after them (县(市、区)), in the simple and title layouts."""
    if isinstance(sheets, list):
        sheets = {"Sheet1": sheets}
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        ws = book.add_worksheet(name)
        cols = headers or HEADERS
        r = 0
        if layout in ("title", "two_row"):
            ws.write_string(0, 0, "农安县贫困边缘户入户登记表")
            ws.write_string(1, 0, "填报单位:合隆镇人民政府    填报日期:2019年12月")
            r = 2
        if layout == "two_row":
            for c, h in enumerate(HEADERS):
                if h in INCOME or h in EXPENSES or h in ("家庭总收入", "家庭生产经营性支出"):
                    continue
                ws.merge_range(r, c, r + 1, c, h)
            inc = [HEADERS.index(h) for h in INCOME + ["家庭总收入"]]
            exp = [HEADERS.index(h) for h in EXPENSES + ["家庭生产经营性支出"]]
            ws.merge_range(r, min(inc), r, max(inc), "家庭总收入(元)")
            ws.merge_range(r, min(exp), r, max(exp), "家庭生产经营性支出(元)")
            for c in inc + exp:
                ws.write_string(r + 1, c, "合计" if HEADERS[c] in ("家庭总收入", "家庭生产经营性支出")
                                else HEADERS[c] + "\n(元)")
            r += 2
        else:
            for c, h in enumerate([*cols, *more]):
                ws.write_string(r, c, h)
            r += 1
        for record in rows:
            for c, h in enumerate([*HEADERS, *more]):
                _write_value(ws, r, c, record.get(h, ""))
            r += 1
        if layout == "two_row":
            ws.write_string(r, 0, "合计")
            r += 2
            ws.write_string(r, 0, "填表人:李四    审核人:王五")
        for extra in extra_rows:
            for c, v in enumerate(extra):
                _write_value(ws, r, c, v)
            r += 1
    book.close()
    return path


def write_csv(path: Path, rows: list[dict], *, encoding: str = "utf-8-sig", headers=None) -> Path:
    cols = headers or HEADERS
    lines = [",".join(cols)]
    for record in rows:
        lines.append(",".join(str(record.get(h, "")) for h in cols))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def write_csv_table(path: Path, header: list[str], rows: list[list]) -> Path:
    """A CSV of a header row and rows of values (quoted where a value needs it), as Excel saves one."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


# ---------------------------------------------------------------- a set-up made once per worker
# Several tests of a module (and of several modules) begin with the very same county set up the same
# way: screened, taken onto a register, documents filled and recorded, each test paying those commands
# again. built_once makes such a folder once per worker and gives each test a copy of its own (a test
# that records into the register or writes into the folder changes only its copy). The copy is the
# folder as the set-up left it, but for the folder's own path, which run.json records: it is rewritten
# to the test's folder. A set-up whose files name its folder anywhere else (a workbook, the register)
# is not kept, and each test makes its own as before.
_KEPT: dict = {}
_KEPT_DIR: list[Path] = []
_GIVEN: dict = {}  # key → the tests it was given to


def _kept_dir() -> Path:
    import atexit
    import shutil
    import tempfile

    if not _KEPT_DIR:
        _KEPT_DIR.append(Path(tempfile.mkdtemp(prefix="edgescreen-built-once-")))
        atexit.register(shutil.rmtree, _KEPT_DIR[0], True)
    return _KEPT_DIR[0]


def _spellings(folder: Path) -> list[bytes]:
    """How a folder's path can stand in a file: as it is, and as JSON writes it with ensure_ascii."""
    import json

    plain = str(folder)
    return [plain.encode("utf-8"), json.dumps(plain)[1:-1].encode("ascii")]


def _files(entries: list[Path]) -> list[Path]:
    """The paths in and under `entries` (files and folders), in order."""
    return sorted(p for e in entries for p in ([e, *e.rglob("*")] if e.is_dir() and not e.is_symlink() else [e]))


def _stamps(entries: list[Path]) -> dict:
    """Each path in and under `entries` that is there, a file with its size and time of change: whether
    a set-up touched them (changed, added or removed one)."""
    return {p: (p.stat().st_size, p.stat().st_mtime_ns) if p.is_file() and not p.is_symlink() else None
            for p in _files([e for e in entries if e.exists() or e.is_symlink()])}


def _each_path(value, fn):
    """`value` (what a set-up returned: paths, in a dict, list or tuple) with fn(path) for each path."""
    if isinstance(value, Path):
        return fn(value)
    if isinstance(value, dict):
        return {k: _each_path(v, fn) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_each_path(v, fn) for v in value)
    return value


def _naming(entries: list[Path], folder: Path) -> tuple[list[Path], list[Path]]:
    """The files in and under `entries` that name `folder` (its path or its own name, a workbook's
    parts and a register's pages read too): (run.json records, any other file)."""
    import zipfile

    spelled = _spellings(folder)
    name = folder.name.encode("utf-8")
    records, others = [], []
    for path in _files(entries):
        if path.is_symlink() or not path.is_file():
            continue
        data = path.read_bytes()
        blobs = [data]
        if data[:2] == b"PK":
            try:
                with zipfile.ZipFile(path) as zf:
                    blobs += [zf.read(member) for member in zf.namelist()]
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
                pass
        if not any(word in blob for word in [*spelled, name] for blob in blobs):
            continue
        # A run.json is rewritten where it names the folder by its whole path, and only there.
        whole = sum(data.count(word) for word in set(spelled))
        whole_names = sum(word.count(name) * data.count(word) for word in set(spelled))
        if path.name == "run.json" and len(blobs) == 1 and whole and data.count(name) == whole_names:
            records.append(path)
        else:
            others.append(path)
    return records, others


def _moved(value, made_in: str, tmp: Path):
    """`value` (what the set-up returned: paths, in a dict, list or tuple) of `made_in` as of `tmp`."""
    def move(path: Path) -> Path:
        text = str(path)
        return Path(str(tmp) + text[len(made_in):]) if text == made_in or text.startswith(made_in + "/") else path
    return _each_path(value, move)


def built_once(key, tmp: Path, build):
    """`build()`, which sets up the folder `tmp` and returns what the test needs (paths in it), once
    per worker for `key` (and the language the words are in): a later test of the same key gets a
    copy in its own `tmp` and what build returned, its paths moved there. `key` must name everything
    the set-up depends on (the rows surveyed, the options given), as the argument of a cache does.
    What the test put in `tmp` before is its own: the set-up's files are made beside it (none of one
    name), and a set-up that changes it, or returns a path in it, is not kept."""
    import os
    import shutil

    tmp.mkdir(parents=True, exist_ok=True)
    key = (key, os.environ.get("EDGESCREEN_LANG"))
    # A test that sets up the same twice (two registers, say) has two of their own, each made anew: a
    # copy would be the same register (its identity, its documents' ids), as a copy on a USB stick is.
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" ", 1)[0]
    again = test in _GIVEN.setdefault(key, set())
    _GIVEN[key].add(test)
    theirs = sorted(tmp.iterdir())
    if _KEPT.get(key) and not again and not {p.name for p in theirs} & {p.name for p in _KEPT[key][0].iterdir()}:
        kept, made_in, records, value = _KEPT[key]
        shutil.copytree(kept, tmp, dirs_exist_ok=True, symlinks=True)
        for relative in records:
            record = tmp / relative
            text = record.read_bytes()
            for old, new in zip(_spellings(Path(made_in)), _spellings(tmp)):
                text = text.replace(old, new)
            record.write_bytes(text)
        return _moved(value, made_in, tmp)
    before = _stamps(theirs)
    value = build()
    if key in _KEPT or again:
        return value
    made = sorted(set(tmp.iterdir()) - set(theirs))
    records, others = _naming(made, tmp)
    returned: list[Path] = []
    _each_path(value, returned.append)
    elsewhere = any(p != tmp and p.is_relative_to(tmp) and not any(p.is_relative_to(m) for m in made)
                    for p in returned)
    # The folder named where it cannot be rewritten, the test's own files changed or returned: not kept.
    if others or elsewhere or _stamps(theirs) != before:
        _KEPT[key] = None
        return value
    kept = _kept_dir() / str(len(_KEPT))
    kept.mkdir()
    for entry in made:
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, kept / entry.name, symlinks=True)
        else:
            shutil.copy2(entry, kept / entry.name, follow_symlinks=False)
    _KEPT[key] = (kept, str(tmp), [r.relative_to(tmp) for r in records], value)
    return value
