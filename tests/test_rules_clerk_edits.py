"""A county's own rule file as clerks edit it in Notepad (an outside try, 2026-12-05): the slips it met
are said on their own line with what to type, never the advice that would break the file further."""

from __future__ import annotations

from typer.testing import CliRunner

from edgescreen.cli import app


def _county(tmp_path, edit, name: str = "农安县") -> tuple[int, str]:
    path = tmp_path / f"{name}.toml"
    assert CliRunner().invoke(app, ["rules", "new", str(path)]).exit_code == 0
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    result = CliRunner().invoke(app, ["rules", "check", str(path)])
    return result.exit_code, " ".join(result.output.split()).replace(" ", "")


UPPER = '  { effective = 2019-01-01, value = 4000,'


def test_a_new_years_lower_bound_before_its_upper_bound_says_to_add_the_upper_too(tmp_path):
    code, said = _county(tmp_path, lambda t: t.replace(
        '由县里在本县规则文件中改写" },\n', '由县里在本县规则文件中改写" },\n'
        '  { effective = 2020-01-01, value = 4200, source = "2020年标准" },\n', 1))
    assert code == 1, said
    assert "或删去这一条;若2020年度的上限也变了,请在upper_bound里加上2020年度的那一行" in said, said


def test_an_upper_bound_with_a_zero_too_many_is_said_on_its_own_line(tmp_path):
    code, said = _county(tmp_path, lambda t: t.replace(
        UPPER, UPPER + ' source = "x" },\n  { effective = 2020-01-01, value = 450000,', 1))
    assert code == 1
    assert "upper_bound.values[1].value:upper_bound(450000,自2020-01-01起)是其他年度上限(4000)的十倍以上:是不是多打了一个0?" in said, said
    assert "per_capita_ceiling" not in said


def test_full_width_quotes_and_hash_are_named_as_full_width(tmp_path):
    for n, mark in enumerate(("‘", "＂", "＃")):
        code, said = _county(tmp_path, lambda t: t.replace('title = "', f"title = {mark}", 1) if mark != "＃"
                             else t.replace("# 2020年国家贫困标准", "＃ 2020年国家贫困标准", 1), f"县{n}")
        assert code == 1 and f"这一行有中文(全角)标点「{mark}」" in said, (mark, said)


def test_a_blank_title_is_refused(tmp_path):
    for n, blank in enumerate(('""', '"   "')):
        code, said = _county(tmp_path, lambda t: t.replace('title = "长春市贫困边缘户识别标准(2019)"', f"title = {blank}", 1),
                             f"县{n}")
        assert code == 1 and "title" in said, (blank, said)


def test_a_deleted_table_header_is_named_once_not_its_keys_one_by_one(tmp_path):
    # [exclude] deleted: its keys fall under [upper_bound], and each was said as unknown "(是不是 'dibao'?)".
    code, said = _county(tmp_path, lambda t: t.replace("\n[exclude]\n", "\n", 1))
    assert code == 1, said
    assert "dibao、tekun、registered_poor是[exclude]的项,却落在了[upper_bound]下面:是不是删掉了[exclude]这一行?" in said, said
    assert "不认识的项" not in said and "是不是'dibao'" not in said, said
    code, said = _county(tmp_path, lambda t: t.replace("\n[income]\n", "\n", 1), name="德惠市")
    assert "components、total是[income]的项,却落在了[exclude]下面" in said and "缺少" not in said, said
