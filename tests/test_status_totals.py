"""register status's county overview adds up (outside try T, 30,000 households). Before: the township
lines of 帮扶缺口 left out the households whose survey data is in error (520 of "帮扶缺口涉及的 523 户"); a
village whose candidates were all turned down read 已完成「民主评议」 after its 公示 (本村无) was recorded,
where 进度.xlsx said 已完成「第一次公示(本村无)」; "逾期的村(共 198 个)" in a county of 99 villages counted
a document per procedure, a village overdue in the entry and the exit procedure twice. The overview is
a county's (over STATUS_WHOLE_AT_MOST lines); these small counties are read through it as a county's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from register_builders import fill
from survey_builders import make_id
from test_register_nobody_listed import County
from years_builders import register_everyone, run, survey
import edgescreen.cli.register as cli_register

XIONG = make_id(birth="19650925", serial=637)
XIONG_MISTYPED = XIONG[:10] + XIONG[11] + XIONG[10] + XIONG[12:]  # 19650925 typed 19659025: no such date


def _person(township: str, village: str, name: str, number: str, **over) -> dict:
    return {"乡(镇)": township, "行政村": village, "户主姓名": name, "户编号": number, **over}


def _people(xiong_id: str, wang_wage: int = 10000, wu_wage: int = 10000) -> list[dict]:
    return [_person("合隆镇", "前岗村", "王一", "HB1", 户主身份证号=make_id(birth="19600101", serial=11), 工资性收入=wang_wage),
            _person("合隆镇", "前岗村", "李二", "HB2", 户主身份证号=make_id(birth="19600102", serial=12)),
            _person("烧锅镇", "三宝村", "吴八", "HB3", 户主身份证号=make_id(birth="19600103", serial=13), 工资性收入=wu_wage),
            _person("开安镇", "中庄村", "熊涛", "HB4", 户主身份证号=xiong_id)]


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """2019: four households on the register. 2020: 王一 above the bound (proposed to leave), 赵新 new in
    前岗村 (a candidate), 吴八 at or below the poverty line, 熊涛's ID mistyped (his data in error); a
    measure's days long enough that no household lacks one. Both 民主评议 of 前岗村 out, never recorded."""
    tmp = tmp_path_factory.mktemp("status-totals")
    text = (Path(__file__).resolve().parents[1] / "rules" / "changchun-2019.toml").read_text(encoding="utf-8")
    assert "coverage_days = 30" in text and "require_measure = true" in text
    rules = tmp / "规则.toml"
    rules.write_text(text.replace("coverage_days = 30", "coverage_days = 366")
                     .replace("require_measure = true", "require_measure = false"), encoding="utf-8")
    db = register_everyone(tmp, _people(XIONG))
    people = [*_people(XIONG_MISTYPED, wang_wage=30000, wu_wage=9000),
              _person("合隆镇", "前岗村", "赵新", "HB5", 户主身份证号=make_id(birth="19600105", serial=15))]
    run("screen", survey(tmp / "2020.xlsx", people), "--year", 2020, "--rules", rules, "-o", tmp / "out2020",
        "--register", db, "--date", "2020-11-20")
    run("register", "next", db, "--date", "2020-11-21", "-o", tmp / "d2020")
    return db


@pytest.fixture
def overview(monkeypatch):
    monkeypatch.setattr(cli_register, "STATUS_WHOLE_AT_MOST", 0)


def _flat(text: str) -> str:
    return "".join(text.split())


def test_the_township_lines_of_gaps_count_the_households_whose_data_is_in_error(county, overview):
    said = run("register", "status", county, "--as-of", "2020-12-10", columns=80).output
    flat = _flat(said)
    gaps = flat[flat.index("帮扶缺口(在册"):flat.index("每个村的进度")]
    assert "开安镇:在册1户,逾期无措施0户,措施与困难不符0户,调查数据有误(待核实更正后重新筛查)1户" in gaps, said
    assert "烧锅镇:在册1户,逾期无措施0户,措施与困难不符0户,收入不高于贫困线(转贫困户识别)1户" in gaps, said
    # The township lines add up to the households the closing line counts.
    counted = sum(int(n) for n in re.findall(r"(?:转贫困户识别\)|重新筛查\)|未调查)(\d+)户", gaps))
    assert "帮扶缺口涉及的2户" in flat and counted == 2, said


def test_a_village_overdue_in_the_entry_and_the_exit_procedure_is_one_village(county, overview):
    said = run("register", "status", county, "--as-of", "2021-01-10", columns=80).output
    flat = _flat(said)
    assert "逾期的村(共1个):" in flat, said
    late = flat[flat.index("逾期的村"):]
    line = late[:late.index("帮扶缺口")]
    assert line.count("合隆镇前岗村") == 1, said
    assert "「民主评议」文书已发出,待登记" in line and "「退出民主评议」文书已发出,待登记" in line, said


def test_a_township_whose_villages_recorded_their_publicity_of_nobody_says_that_step(tmp_path, overview):
    county = County(tmp_path)
    county.through_verify()
    _, folder = county.issue("2019-12-01", "d3")
    fill(next((folder / "3-第一次公示").glob("*青山村*")), objections=[])
    run("register", "record", county.db, folder)
    book = tmp_path / "进度.xlsx"
    said = run("register", "status", county.db, "--as-of", "2019-12-10", "-o", book).output
    line = next(line for line in said.splitlines() if line.startswith("烧锅镇:"))
    # 三宝村 (all turned down at 民主评议) and 新立村 (at 入户核实), their 公示 saying 本村无 recorded.
    assert line.endswith("· 已完成「第一次公示(本村无)」 2 个村"), said
    import openpyxl

    rows = [r for r in openpyxl.load_workbook(book).worksheets[0].iter_rows(values_only=True) if r[1] in ("三宝村", "新立村")]
    assert len(rows) == 2 and all(any("已完成「第一次公示(本村无)」" in str(c) for c in r) for r in rows), rows
