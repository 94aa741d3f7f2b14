"""Yes/no cells and place names as clerks type them (outside tester, 2026-12-02): 是(A类) with a note
in brackets, 1.0 from a number cell written out, a dash or slash for "not so"; and a village name
spaced out to line it up (前 岗 村), which made a second village list for the same village."""

from __future__ import annotations

from field_checks import issues, ledger, screen
from survey_builders import household, write_workbook


def test_flag_words_with_notes_numbers_and_dashes(tmp_path):
    rows = [household(**{"户主姓名": "甲", "是否低保户": "是(A类)"}),
            household(**{"户主姓名": "乙", "是否低保户": "／", "是否特困人员": "1.0"}),
            household(**{"户主姓名": "丙", "是否低保户": "-", "是否特困人员": "否(二类)"}),
            # a note that may turn the answer is read by a person, not dropped
            household(**{"户主姓名": "丁", "是否低保户": "是(已退出)"})]
    out = tmp_path / "out"
    result = screen(write_workbook(tmp_path / "survey.xlsx", rows), "-o", out)
    assert result.exit_code == 0, result.output
    assert ledger(out)["status"].tolist() == ["excluded_dibao", "excluded_tekun", "candidate", "invalid"]
    flagged = issues(out)
    assert flagged.loc[flagged["code"] == "flag_unrecognized", "head_name"].tolist() == ["丁"]


def test_a_village_spaced_out_is_the_same_village(tmp_path):
    rows = [household(**{"户主姓名": "甲", "行政村": "前 岗 村", "乡(镇)": "合隆 镇"}),
            household(**{"户主姓名": "乙", "行政村": "前岗村"})]
    out = tmp_path / "out"
    result = screen(write_workbook(tmp_path / "survey.xlsx", rows), "-o", out)
    assert result.exit_code == 0, result.output
    assert set(ledger(out)["village"]) == {"前岗村"} and set(ledger(out)["township"]) == {"合隆镇"}
    assert [p.name for p in (out / "villages").iterdir()] == ["合隆镇-前岗村.xlsx"]


def test_a_village_typed_with_a_stop_after_it_is_the_same_village(tmp_path):
    """From an outside try (2026-12-05): 新立村 on 2 rows, 新立村. and 新立村。 on one each were three villages,
    three lists (合隆镇-新立村.xlsx, 合隆镇-新立村~183e0afc.xlsx, 合隆镇-新立村。.xlsx) and three sets of
    民主评议 documents, with nothing said."""
    rows = [household(**{"户主姓名": name, "行政村": village})
            for name, village in (("甲", "新立村"), ("乙", "新立村"), ("丙", "新立村."), ("丁", "新立村。"),
                                  ("戊", "新立村,"))]
    out = tmp_path / "out"
    result = screen(write_workbook(tmp_path / "survey.xlsx", rows), "-o", out)
    assert result.exit_code == 0, result.output
    assert set(ledger(out)["village"]) == {"新立村"}
    assert [p.name for p in (out / "villages").iterdir()] == ["合隆镇-新立村.xlsx"]


def test_an_exports_quote_mark_written_into_the_cells_is_no_part_of_them(tmp_path):
    """A monitoring-system export writes '5850.00, '否, '合隆镇 into the cells themselves: every
    household was invalid (not_a_number, flag_unrecognized) and the village files were named
    '合隆镇-'前岗村.xlsx."""
    rows = [{k: (f"'{v}" if v not in ("", None) else v) for k, v in household(**{"户主姓名": name}).items()}
            for name in ("甲", "乙")]
    for row in rows:
        row["户编号"] = "'22012200100001" if row["户主姓名"] == "'甲" else "'22012200100002"
    out = tmp_path / "out"
    result = screen(write_workbook(tmp_path / "survey.xlsx", rows), "-o", out)
    assert result.exit_code == 0, result.output
    table = ledger(out)
    assert table["status"].tolist() == ["candidate", "candidate"]
    assert table["head_name"].tolist() == ["甲", "乙"] and table["village"].tolist() == ["前岗村", "前岗村"]
    assert table["household_id"].tolist() == ["22012200100001", "22012200100002"]
    assert [p.name for p in (out / "villages").iterdir()] == ["合隆镇-前岗村.xlsx"]


def test_a_spaced_village_links_its_members_as_the_village_itself(tmp_path):
    """The survey's 前 岗 村 is 前岗村 to the members table too: a member listed under 前岗村 with the
    household's 户编号 is that household's (before, the survey's village was folded and the members'
    link key was not, and the member belonged to no household)."""
    import json

    from survey_builders import make_id
    from test_rosters import write_sheets

    head = household(**{"户主姓名": "甲", "行政村": "前 岗 村", "户编号": "007", "家庭人口数": 2})
    survey = write_workbook(tmp_path / "县.xlsx", [head])
    members = write_sheets(tmp_path / "成员.xlsx", {"家庭成员": (
        ["乡(镇)", "行政村", "户编号", "姓名", "与户主关系", "身份证号"],
        [["合隆镇", "前岗村", "007", "甲", "户主", head["户主身份证号"]],
         ["合隆镇", "前岗村", "007", "甲妻", "配偶", make_id("19720202")]])})
    out = tmp_path / "out"
    result = screen(survey, members, "-o", out)
    assert result.exit_code == 0, result.output
    links = json.loads((out / "run.json").read_text(encoding="utf-8"))["members"]
    assert links["linked"] == 2, links


def test_registered_poor_and_tekun_columns_under_their_short_names(tmp_path):
    """建档立卡户 and 特困户 as a county's form heads them (outside tester, 2026-12-02): a registered
    poor household had become a candidate, its column left unread without a word."""
    from survey_builders import HEADERS

    short = {"是否建档立卡贫困户": "建档立卡户", "是否特困人员": "特困户", "家庭生产经营性支出": "家庭年生产经营性支出"}
    rows = [household(**{"户主姓名": "甲", "是否建档立卡贫困户": "是"}),
            household(**{"户主姓名": "乙", "是否特困人员": "是"}),
            household(**{"户主姓名": "丙"})]
    out = tmp_path / "out"
    result = screen(write_workbook(tmp_path / "survey.xlsx", rows, headers=[short.get(h, h) for h in HEADERS]),
                    "-o", out)
    assert result.exit_code == 0, result.output
    assert ledger(out)["status"].tolist() == ["excluded_registered", "excluded_tekun", "candidate"]
    assert "未读取" not in "".join(result.output.split())


def test_an_exports_quote_mark_on_a_code_links_the_members_by_it(tmp_path):
    """'007 typed in an ASCII-only 户编号 column kept its mark in the members' link key (normalise_text
    passes such a column as it is), while the ledger showed 007: the members under 007 linked to no
    household (reviewer, 2026-12-02)."""
    import json

    from survey_builders import make_id
    from test_rosters import write_sheets

    head = household(**{"户主姓名": "甲", "户编号": "'007", "家庭人口数": 2})
    survey = write_workbook(tmp_path / "县.xlsx", [head])
    members = write_sheets(tmp_path / "成员.xlsx", {"家庭成员": (
        ["乡(镇)", "行政村", "户编号", "姓名", "与户主关系", "身份证号"],
        [["合隆镇", "前岗村", "007", "甲", "户主", make_id("19600101")],
         ["合隆镇", "前岗村", "007", "甲妻", "配偶", make_id("19720202")]])})
    out = tmp_path / "out"
    result = screen(survey, members, "-o", out)
    assert result.exit_code == 0, result.output
    assert ledger(out)["household_id"].tolist() == ["007"]
    run_json = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run_json["members"]["linked"] == 2, run_json["members"]
