"""A county form asking both 是否特困人员 and 是否五保户 (五保 is part of 特困人员供养 since 2014, and many
forms still ask both: an outside try, 2026-12-06). It was refused as two columns for one field, and the
advice (rename one) made the 五保 column unread: a 五保户 marked only there was printed as a 贫困边缘户
candidate, the terminal silent. The two columns are read together: 是 in either is 是; both blank is one
blank warning; each cell named by its own column. Other fields with two columns are still refused, with
advice that does not drop a column unsaid. A rule file's `wubao` is told it means `tekun`."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from field_checks import invoke, issues, ledger, said, screen
from survey_builders import HEADERS, household, make_id, write_workbook


def _survey(path: Path, rows: list[dict], wubao_header: str = "是否五保户") -> Path:
    """A form with a 五保 column after the usual ones (column X), each row's 五保 cell from its "五保" key."""
    records = [{**r, wubao_header: r.pop("五保", "否")} for r in rows]
    return write_workbook(path, records, more=[wubao_header])


def _row(name: str, tekun: str, wubao: str, **more) -> dict:
    # 3,800 a head: a candidate unless excluded.
    return household(户主姓名=name, 户主身份证号=make_id(), 家庭人口数=1, 家庭常住人口数=1, 工资性收入=3800,
                     是否特困人员=tekun, 五保=wubao, **more)


def _status(out: Path, name: str) -> str:
    frame = ledger(out)
    return frame.loc[frame["head_name"] == name, "status"].item()


def _village_list_text(out: Path) -> str:
    book = openpyxl.load_workbook(next((out / "villages").glob("*.xlsx")), read_only=True)
    return " ".join(str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row if c is not None)


def _screened(tmp_path: Path, name: str, rows: list[dict], **survey) -> Path:
    """`rows` as the 五保 form `name` (_survey), screened: the output folder."""
    out = tmp_path / f"out-{Path(name).stem}"
    result = screen(_survey(tmp_path / name, rows, **survey), "-o", out)
    assert result.exit_code == 0, result.output
    return out


def test_a_wubao_marked_only_in_its_own_column_is_excluded_as_tekun(tmp_path):
    out = _screened(tmp_path, "含五保列.xlsx", [_row("张永梅", "否", "是"), _row("李德福", "是", "否"),
                                              _row("王秀兰", "否", "否")])
    assert _status(out, "张永梅") == "excluded_tekun"
    # 是 in 特困 beside 否 in 五保: no contradiction (五保 is one kind of 特困), excluded, and nothing said.
    assert _status(out, "李德福") == "excluded_tekun"
    assert _status(out, "王秀兰") == "candidate"
    listed = _village_list_text(out)
    assert "王秀兰" in listed and "张永梅" not in listed and "李德福" not in listed, listed
    found = issues(out)
    assert not found["code"].isin(["flag_unrecognized", "missing_value"]).any(), found.to_string()


def test_a_column_headed_only_wubao_reads_the_same_way(tmp_path):
    for header in ("五保", "五保户"):
        out = _screened(tmp_path, f"{header}.xlsx", [_row("张永梅", "否", "是"), _row("王秀兰", "否", "否")],
                        wubao_header=header)
        assert _status(out, "张永梅") == "excluded_tekun", header
        assert _status(out, "王秀兰") == "candidate", header


def test_both_blank_is_one_blank_warning_and_one_blank_beside_an_answer_none(tmp_path):
    out = _screened(tmp_path, "空.xlsx", [_row("张永梅", "", ""), _row("李德福", "", "否"), _row("王秀兰", "否", "")])
    found = issues(out)
    blank = found[(found["code"] == "missing_value") & found["field"].str.startswith("is_tekun")]
    assert blank["head_name"].tolist() == ["张永梅"], blank.to_string()
    assert blank["cell"].tolist() == [f"{chr(ord('A') + HEADERS.index('是否特困人员'))}2"], blank.to_string()
    for name in ("张永梅", "李德福", "王秀兰"):
        assert _status(out, name) == "candidate", name


def test_a_wubao_cell_not_understood_is_named_by_its_own_column(tmp_path):
    wubao = chr(ord("A") + len(HEADERS))  # the column after the usual ones
    path = _survey(tmp_path / "乱.xlsx", [_row("张永梅", "否", "不详"), _row("李德福", "是", "不详")])
    out = tmp_path / "out"
    result = screen(path, "-o", out)
    assert result.exit_code == 0, result.output
    found = issues(out)
    bad = found[found["code"] == "flag_unrecognized"]
    assert bad["cell"].tolist() == [f"{wubao}2", f"{wubao}3"], bad.to_string()
    assert all(f"{wubao}列「是否五保户」" in m for m in bad["message"]), bad["message"].tolist()
    # Unknown whether 五保: not decided; a 是 in 特困 decides all the same.
    assert _status(out, "张永梅") == "invalid"
    assert _status(out, "李德福") == "excluded_tekun"


def test_two_dibao_columns_are_read_together_too(tmp_path):
    records = [{**household(户主姓名="张永梅", 工资性收入=10000), "是否享受低保": "是"},
               {**household(户主姓名="王秀兰", 工资性收入=10000), "是否享受低保": "否"}]
    path = write_workbook(tmp_path / "低保两列.xlsx", records, more=["是否享受低保"])
    out = tmp_path / "out"
    result = screen(path, "-o", out)
    assert result.exit_code == 0, result.output
    assert _status(out, "张永梅") == "excluded_dibao"
    assert _status(out, "王秀兰") == "candidate"


def test_other_fields_with_two_columns_are_refused_saying_which_to_keep(tmp_path):
    headers = [h if h != "联系电话" else "姓名" for h in HEADERS]  # 姓名 is a name of 户主姓名
    path = write_workbook(tmp_path / "两列.xlsx", [household()], headers=headers)
    result = screen(path, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    text = said(result)
    assert "同一项有两列(「户主姓名」):E「户主姓名」、G「姓名」。" in text, result.output
    assert "请保留E「户主姓名」" in text and "改名其中一列" not in text, result.output
    # The same name twice (an old year's column kept): deleting or renaming one is what is meant.
    same = [h if h != "联系电话" else "户主姓名" for h in HEADERS]
    path = write_workbook(tmp_path / "同名.xlsx", [household()], headers=same)
    result = screen(path, "-o", tmp_path / "out2")
    assert result.exit_code == 2, result.output
    assert "请删除或改名其中一列。" in said(result), result.output
    # And the same name twice for a flag read together: still two columns, not read together.
    same = [h if h != "备注" else "是否特困人员" for h in HEADERS]
    path = write_workbook(tmp_path / "特困两列.xlsx", [household()], headers=same)
    result = screen(path, "-o", tmp_path / "out3")
    assert result.exit_code == 2, result.output
    assert "同一项有两列(「是否特困人员」)" in said(result), result.output


def test_a_rule_file_writing_wubao_is_told_it_is_tekun(tmp_path):
    shipped = Path(__file__).resolve().parents[1] / "rules" / "changchun-2019.toml"
    text = shipped.read_text(encoding="utf-8").replace("tekun = true", "tekun = true\nwubao = true", 1)
    path = tmp_path / "本县.toml"
    path.write_text(text, encoding="utf-8")
    result = invoke("rules", "check", path)
    assert result.exit_code != 0, result.output
    text = said(result)
    assert "exclude.wubao:不认识的项(是不是'tekun'?)" in text, result.output
    assert "dibao" not in text.split("exclude.wubao", 1)[1], result.output
    # The same file given to screen says the same, before any household is decided.
    survey = write_workbook(tmp_path / "调查.xlsx", [household(户主姓名="甲")])
    screened = invoke("screen", survey, "-o", tmp_path / "out", "--rules", path)
    assert screened.exit_code != 0 and not (tmp_path / "out").exists(), screened.output
    assert "exclude.wubao:不认识的项(是不是'tekun'?)" in said(screened), screened.output


def test_explain_shows_both_columns_of_the_one_question(tmp_path):
    """explain of a 五保-only household shows the 特困 cell typed 否 and, under it, the 五保 cell typed 是
    read with it: not 否 read as 是 with nothing to say why."""
    path = _survey(tmp_path / "含五保列.xlsx", [_row("张永梅", "否", "是"), _row("王秀兰", "否", "否")])
    result = invoke("explain", path, "--name", "张永梅")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    at = next(i for i, line in enumerate(lines) if "是否特困人员: 否" in line)
    assert lines[at].rstrip().endswith("→  是"), lines[at]
    assert "是否五保户: 是" in lines[at + 1] and "与上一栏合读" in lines[at + 1], lines[at:at + 2]


def test_an_online_forms_numbered_tekun_and_wubao_are_read_together(tmp_path):
    """「15. 是否特困人员」 beside 「16. 是否五保户」 (a review found): both named past a question's number,
    they were taken for one field's columns told apart by a year, and neither was read (the refusal
    said 只是年份不同, and a 五保户 renamed away came out a candidate). A question's number says no
    year: they are read together, as without numbers; 2018年 beside 2019年 is still two years."""
    from test_question_headers import QUESTIONS, _online_form

    questions = list(QUESTIONS)
    questions.insert(questions.index(("15. 是否特困人员", "否", "否", "否")) + 1, ("16. 是否五保户", "否", "是", "否"))
    out = tmp_path / "out"
    result = screen(_online_form(tmp_path / "问卷星.xlsx", questions), "-o", out)
    assert result.exit_code == 0, result.output
    assert _status(out, "李国富") == "excluded_tekun", ledger(out)[["head_name", "status"]]
    # Two years of one field, numbered or not, are still neither read.
    years = list(QUESTIONS)
    at = years.index(("7. 工资性收入（元）", 9000, 9000, 9000))
    years[at:at + 1] = [("7. 2018年工资性收入（元）", 9000, 9000, 9000), ("7. 2019年工资性收入（元）", 9000, 9000, 9000)]
    refused = screen(_online_form(tmp_path / "两年.xlsx", years), "-o", tmp_path / "out2")
    said = "".join(refused.output.split())
    assert refused.exit_code == 2 and "没有认出的表头" in said and "J「7.2018年工资性收入（元）」、K「7.2019年工资性收入（元）」" in said, \
        refused.output


def test_a_tekun_formula_never_calculated_is_answered_by_a_wubao_yes_only(tmp_path):
    """A 特困 cell whose formula was never calculated (a file no Excel saved): a 是 in 五保 answers it; a
    否 does not (a review found it read as 否; the household is 数据有误 by the formula's error either
    way, which this guards)."""
    path = _survey(tmp_path / "公式.xlsx", [_row("张永梅", "否", "是"), _row("李德福", "否", "否")])
    book = openpyxl.load_workbook(path)
    ws = book.active
    header = next(r for r in ws.iter_rows() if any(c.value == "是否特困人员" for c in r))
    at = next(c.column for c in header if c.value == "是否特困人员")
    for row in range(header[0].row + 1, ws.max_row + 1):
        if ws.cell(row, at).value is not None:
            ws.cell(row, at).value = '=IF(1,"否","是")'  # openpyxl saves a formula with no value
    book.save(path)
    out = tmp_path / "out"
    result = screen(path, "-o", out)
    assert _status(out, "张永梅") == "excluded_tekun", result.output
    assert _status(out, "李德福") == "invalid", result.output
    assert "formula_not_calculated" in set(issues(out)["code"]), issues(out)
