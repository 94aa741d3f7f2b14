"""Outside tester's city spot check (three-year register): `backcheck 农安县.db 核查表-clean` said
「找不到筛查时读入的调查表(华家镇.xlsx、合隆镇.xlsx、烧锅镇.xlsx)」 and compared 4 fields instead of 12,
though the files were in surveys/2021/ beside the register: each year's files in a folder of their own,
under the same names, two levels down, where the search looked one. It now looks a few levels down,
takes the file whose SHA-256 the register recorded for the round sampled (never another year's of the
same name), and says where it found them.

The county: small_county's 21 households (前岗村 4 candidates and 12 above, 东兴村 2 and 3) surveyed for
2019 and again for 2020 — the same file name 农安县.xlsx, the same rows — where 前岗村's first two
candidates earn 30,000 in 2020; each year screened into the register 县/农安县.db, its survey in
县/调查表/2019/ and 县/调查表/2020/."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import above, candidate, fill_all, run, write_survey


def _county(tmp: Path) -> Path:
    rows = ([candidate("前岗村", "甲") for _ in range(4)] + [above("前岗村", "乙") for _ in range(12)]
            + [candidate("东兴村", "丙") for _ in range(2)] + [above("东兴村", "丁") for _ in range(3)])
    later = [dict(r) for r in rows]
    for i in (0, 1):
        later[i].update({"工资性收入": 30000, "家庭总收入": 30000})
    db = tmp / "县" / "农安县.db"
    for year, survey_rows, date in (("2019", rows, "2019-12-02"), ("2020", later, "2020-12-01")):
        folder = tmp / "县" / "调查表" / year
        folder.mkdir(parents=True)
        survey = write_survey(folder / "农安县.xlsx", {"合隆镇": survey_rows})
        run("screen", survey, "--year", year, "-o", tmp / f"筛查{year}", "--register", db, "--date", date)
    return db


def _summary(folder: Path) -> dict[str, str]:
    ws = openpyxl.load_workbook(folder / "backcheck.xlsx")["汇总"]
    return {str(r[0].value): str(r[1].value) for r in ws.iter_rows() if r[0].value and len(r) > 1 and r[1].value}


@pytest.mark.parametrize(("round_id", "year"), [("1", "2019"), ("2", "2020")])
def test_each_years_survey_is_found_in_its_own_folder_by_the_rounds_sha256(tmp_path, monkeypatch, round_id, year):
    """A sample of round 1 (2019) is compared with 调查表/2019/农安县.xlsx, one of round 2 with
    调查表/2020/农安县.xlsx: every field, and none differs, as each page is filled with what that year
    recorded. The other year's file of the same name would make 前岗村's first two households' wage differ
    (10,000 in 2019, 30,000 in 2020)."""
    monkeypatch.chdir(tmp_path)
    db = _county(tmp_path)
    run("sample", db, "--round", round_id, "-o", tmp_path / "抽查", "--seed", "7", "--listed-rate", "1",
        "--unlisted-rate", "1")
    forms = fill_all(tmp_path / "抽查", tmp_path / "回收")  # as recorded: candidates 10,000, the others 30,000
    said = run("backcheck", db, *forms, "-o", tmp_path / "核查结果").output
    flat = "".join(said.split())
    assert "找不到筛查时读入的调查表" not in flat, said
    folder = tmp_path / "县" / "调查表" / year
    assert f"筛查时读入的调查表(农安县.xlsx)在{folder}中找到" in flat, said
    assert "按登记簿为这一轮筛查记下的SHA-256认出" in flat
    assert "字段差错率:0.0%" in said and "/252项" in flat, said  # 21 households × 12 fields
    summary = _summary(tmp_path / "核查结果")
    assert summary["登记值来自"] == "筛查时读入的调查表(逐项比对每个栏目)"
    assert str(folder) in " ".join(summary.values())
