"""`edgescreen explain` as a clerk uses it (issue 13, item 9): the household found by the head's name
or by the masked ID printed on the village list, several matches listed (where each is) instead of a
guess, and the explanation written safely to a console or file that cannot encode every character (a
Chinese Windows `> 说明.txt` is GBK)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.privacy import mask_id

runner = CliRunner()


@pytest.fixture(autouse=True)
def _default_language(monkeypatch):
    monkeypatch.delenv("EDGESCREEN_LANG", raising=False)


def run(*args, **env):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200", **env})


def masked(head_id: str) -> str:
    """As the village lists print it."""
    return mask_id(pd.Series([head_id])).iloc[0]


def twins() -> tuple[str, str]:
    """Two valid IDs that mask alike (same first 6 and last 4 digits, other birth dates)."""
    seen: dict[str, str] = {}
    day = dt.date(1960, 1, 1)
    while True:
        head_id = make_id(birth=day.strftime("%Y%m%d"), serial=123)
        if head_id[-4:] in seen:
            return seen[head_id[-4:]], head_id
        seen[head_id[-4:]] = head_id
        day += dt.timedelta(days=1)


@pytest.fixture(scope="module")
def survey(tmp_path_factory):
    d = tmp_path_factory.mktemp("explain")
    a, b = twins()
    rows = [
        household(**{"户主姓名": "张三", "行政村": "前岗村", "户主身份证号": make_id(serial=501)}),
        household(**{"户主姓名": "张三", "行政村": "后岗村", "村民小组": "二组", "户主身份证号": make_id(serial=502)}),
        household(**{"户主姓名": "李 四", "户主身份证号": a}),
        household(**{"户主姓名": "王五", "户主身份证号": b}),
        household(**{"户主姓名": "𠮷祥", "户主身份证号": make_id(serial=503)}),  # 𠮷 is not in GBK
    ]
    return {"path": write_workbook(d / "合隆镇.xlsx", {"合隆镇": rows}), "twins": (a, b), "dir": d}


def test_a_household_is_found_by_the_heads_name(survey):
    result = run("explain", survey["path"], "--name", "王五", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["household"]["head_name"] == "王五"
    # Spaces typed inside a name do not matter, either way round.
    result = run("explain", survey["path"], "--name", "李四", "--json")
    assert result.exit_code == 0 and json.loads(result.output)["household"]["row"] == 4


def test_a_household_is_found_by_the_masked_id_of_the_village_list(survey):
    a, b = survey["twins"]
    other = make_id(serial=501)
    result = run("explain", survey["path"], "--id", masked(other), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["household"]["head_id"] == other


def test_several_households_answering_are_listed_not_guessed(survey):
    result = run("explain", survey["path"], "--name", "张三")
    said = result.output
    assert result.exit_code == 2, said
    assert "有 2 户符合户主姓名「张三」" in said
    assert "--row 合隆镇.xlsx:合隆镇:2  合隆镇 前岗村 一组 张三" in said
    assert "--row 合隆镇.xlsx:合隆镇:3  合隆镇 后岗村 二组 张三" in said
    assert "== " not in said  # no trace of either: the clerk picks one
    a, b = survey["twins"]
    assert masked(a) == masked(b)
    result = run("explain", survey["path"], "--id", masked(a))
    assert result.exit_code == 2 and "有 2 户符合身份证号" in result.output
    # Typed with a Chinese input method: full-width ＊ and digits are the list's * and digits.
    wide = masked(a).replace("*", "＊").translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert "有 2 户符合身份证号" in run("explain", survey["path"], "--id", wide).output
    assert "李 四" in result.output and "王五" in result.output
    english = run("explain", survey["path"], "--name", "张三", EDGESCREEN_LANG="en")
    assert english.exit_code == 2 and "2 households match the head's name 张三" in english.output
    assert "Name one with --row" in english.output


def test_nobody_by_that_name_or_masked_id_is_said_so(survey):
    result = run("explain", survey["path"], "--name", "无此人")
    assert result.exit_code == 2 and "没有户主姓名为「无此人」的农户" in result.output
    assert "相近的姓名" not in result.output
    # A character typed off: the close names are offered (an outside try typed 张叁 for 张三).
    result = run("explain", survey["path"], "--name", "王伍")
    assert result.exit_code == 2 and "相近的姓名有:王五" in " ".join(result.output.split()), result.output
    result = run("explain", survey["path"], "--id", "220122********0000")
    assert result.exit_code == 2 and "没有户主身份证号为 220122********0000 的农户" in result.output
    result = run("explain", survey["path"], "--name", "张三", "--row", "合隆镇.xlsx:合隆镇:2")
    assert result.exit_code == 2 and "三者选一" in result.output


def _explain_to_file(survey, encoding: str, *args) -> tuple[subprocess.CompletedProcess, bytes]:
    """`edgescreen explain … > 说明.txt` with Python's streams in `encoding`, as on a Chinese
    Windows (gbk/cp936) or a console that cannot write Chinese at all (ascii)."""
    target = survey["dir"] / f"说明-{encoding}.txt"
    env = {k: v for k, v in os.environ.items() if k not in ("EDGESCREEN_LANG", "PYTHONUTF8")}
    env.update(PYTHONIOENCODING=encoding)
    with open(target, "wb") as fh:
        done = subprocess.run([sys.executable, "-m", "edgescreen", "explain", str(survey["path"]), *args],
                              stdout=fh, stderr=subprocess.PIPE, env=env, timeout=120)
    return done, target.read_bytes()


@pytest.mark.parametrize("encoding", ["gbk", "cp936"])
def test_explain_writes_to_a_gbk_file_with_a_replacement_and_no_traceback(survey, encoding):
    done, written = _explain_to_file(survey, encoding, "--name", "𠮷祥")
    stderr = done.stderr.decode(encoding, "replace")
    assert done.returncode == 0 and "Traceback" not in stderr, stderr
    text = written.decode(encoding)  # a GBK file, as Notepad on a Chinese Windows reads it
    assert "?祥" in text and "认定结果" in text and "人均纯收入" in text
    done, written = _explain_to_file(survey, encoding, "--name", "王五")
    assert done.returncode == 0 and "王五" in written.decode(encoding)
    # Every character of the catalogue's own words is in GBK: the formula's minus was U+2212 and came out
    # '总收入 ? 生产经营性支出' (an outside try of explain). Only the survey's own rare names are replaced.
    assert "家庭纯收入 = 总收入 - 生产经营性支出" in written.decode(encoding)


def test_explain_to_a_console_that_cannot_write_chinese_ends_normally(survey):
    done, written = _explain_to_file(survey, "ascii", "--name", "王五")
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr
    text = written.decode("ascii")
    assert "??" in text and "changchun-2019" in text
    # A refusal too: its message is replaced, not a traceback.
    done, _ = _explain_to_file(survey, "ascii", "--name", "无此人")
    assert done.returncode == 2 and b"Traceback" not in done.stderr and b"edgescreen:" in done.stderr


def test_the_json_trace_stays_whole_through_a_gbk_file(survey):
    """--json to a file that cannot encode a name: escaped (\\uXXXX), so the audit copy loses nothing."""
    done, written = _explain_to_file(survey, "gbk", "--name", "𠮷祥", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(written.decode("gbk"))["household"]["head_name"] == "𠮷祥"


def test_every_word_the_terminal_may_print_is_in_gbk():
    """The words a clerk's terminal or a redirected file gets are written in the PC's code page (GBK
    on a Chinese Windows): a character outside it prints as '?'. The workbooks' own words
    (spotcheck.toml's formulas, 差额(核实−登记)) are Unicode and may use any."""
    import tomllib
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "edgescreen" / "data" / "messages"
    outside = []

    def walk(value, where):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{where}.{key}")
        elif isinstance(value, str):
            bad = {c for c in value if not c.isascii() and not c.encode("gbk", "ignore")}
            if bad:
                outside.append((where, "".join(sorted(bad))))

    for name in ("cli", "errors", "explain", "checks", "reading", "register", "years", "rosters", "quality", "safety"):
        walk(tomllib.loads((folder / f"{name}.toml").read_text(encoding="utf-8")), name)
    assert outside == [], outside


def test_an_empty_id_or_name_is_told_what_to_give(survey):
    for option in ("--id", "--name", "--row"):
        result = run("explain", survey["path"], option, " ")
        assert result.exit_code == 2 and "三者选一" in result.output, result.output
