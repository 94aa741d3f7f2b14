"""`register next` said "民主评议:18 份文书,249 户" and nothing of the two villages with no candidate (an
outside try's county of 20 villages): a clerk counting villages could not tell them done from
forgotten. The villages with nobody to review are named once, when the 民主评议 documents are written."""

from __future__ import annotations

from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from edgescreen.cli import app

runner = CliRunner()


def test_register_next_names_the_villages_with_nobody_to_review(tmp_path):
    rows = [household(**{"乡(镇)": "合隆镇", "行政村": "前岗村", "户主身份证号": make_id("19700101", serial=500 + 2 * i),
                         "户主姓名": f"前{i}"}) for i in range(2)]
    rows += [household(**{"乡(镇)": "合隆镇", "行政村": "后岗村", "户主身份证号": make_id("19700101", serial=600 + 2 * i),
                          "户主姓名": f"后{i}", "工资性收入": 40000, "家庭总收入": 40000}) for i in range(2)]
    survey = write_workbook(tmp_path / "合隆镇.xlsx", rows)
    db = tmp_path / "农安县.db"
    done = runner.invoke(app, ["screen", str(survey), "-o", str(tmp_path / "out"), "--register", str(db),
                               "--date", "2019-12-02"], env={"COLUMNS": "400"})
    assert done.exit_code == 0, done.output
    first = runner.invoke(app, ["register", "next", str(db), "--date", "2019-12-03", "-o", str(tmp_path / "d1")],
                          env={"COLUMNS": "400"})
    said = " ".join(first.output.split())
    assert first.exit_code == 0, first.output
    assert "另有 1 个村本轮没有要评议的农户,没有民主评议文书:合隆镇后岗村" in said, said
    assert "前岗村" not in said.split("没有民主评议文书")[1].split("接下来")[0], said


def test_register_status_names_the_villages_with_no_candidate_on_screen_and_in_the_workbook(tmp_path):
    # register status listed only the villages with candidates: 后岗村, screened with everyone above the
    # bound, was named nowhere, neither on the terminal nor in 进度.xlsx.
    import openpyxl

    rows = [household(**{"乡(镇)": "合隆镇", "行政村": "前岗村", "户主身份证号": make_id("19700101", serial=500 + 2 * i),
                         "户主姓名": f"前{i}"}) for i in range(2)]
    rows += [household(**{"乡(镇)": "合隆镇", "行政村": "后岗村", "户主身份证号": make_id("19700101", serial=600 + 2 * i),
                          "户主姓名": f"后{i}", "工资性收入": 40000, "家庭总收入": 40000}) for i in range(2)]
    rows += [household(**{"乡(镇)": "合隆镇", "行政村": "中岗村", "户主身份证号": make_id("19700101", serial=700 + 2 * i),
                          "户主姓名": f"中{i}"}) for i in range(2)]
    survey = write_workbook(tmp_path / "合隆镇.xlsx", rows)
    db = tmp_path / "农安县.db"
    done = runner.invoke(app, ["screen", str(survey), "-o", str(tmp_path / "out"), "--register", str(db),
                               "--date", "2019-12-02"], env={"COLUMNS": "400"})
    assert done.exit_code == 0, done.output
    status = runner.invoke(app, ["register", "status", str(db), "-o", str(tmp_path / "进度.xlsx"),
                                 "--as-of", "2019-12-03"], env={"COLUMNS": "400"})
    assert status.exit_code == 0, status.output
    lines = status.output.splitlines()
    quiet = [line for line in lines if "没有初选户" in line]
    assert quiet == ["另有 1 个村本轮没有初选户(已筛查,无须评议):合隆镇后岗村"], status.output
    # After the villages with candidates, not among them.
    assert lines.index(quiet[0]) > max(i for i, line in enumerate(lines) if "中岗村" in line or "前岗村" in line)
    sheet = openpyxl.load_workbook(tmp_path / "进度.xlsx").worksheets[0]
    texts = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "另有 1 个村本轮没有初选户(已筛查,无须评议):合隆镇后岗村" in texts
