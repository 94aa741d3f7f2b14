"""`edgescreen rules test` says the figures it tested against, and a rules file's 五保 is answered (an
outside try, BB): a case file without `rules =` ran its 2020 cases on changchun-2019's 2019 figures
(3218) and six failures showed no figure to explain them; 「低于贫困标准」 as a case's status was
refused and the seven statuses were listed under every case; `wubao = true` was told 是不是 'tekun'
and `五保户 = true` the keys [exclude] takes, neither that 是否五保户 is already read as 特困."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from edgescreen.cli import app

CASE = '''[[case]]
name = "{name}"
{year}inputs = {{ residents = 1, wage_income = "{income}" }}
expect = {{ status = "{status}" }}
'''


def run(*args, lang: str = "zh"):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "240", "EDGESCREEN_LANG": lang})


def flat(result) -> str:
    return " ".join(result.output.split())


def case(name: str, income: str, status: str, year: int | None = None) -> str:
    return CASE.format(name=name, income=income, status=status, year=f"year = {year}\n" if year else "")


def cases_file(path: Path, *cases: str, head: str = "") -> Path:
    path.write_text(head + "\n".join(cases), encoding="utf-8")
    return path


def shipped_rules() -> str:
    return (Path(__file__).resolve().parents[1] / "rules" / "changchun-2019.toml").read_text(encoding="utf-8")


def test_the_header_says_each_years_bounds_and_a_year_carrying_on_the_last_figures(tmp_path):
    # No `rules =` line: the shipped changchun-2019, whose last lower bound is 2019's 3218.
    path = cases_file(tmp_path / "无rules行.toml",
                      case("2019 一人 3000", "3000", "below_line", 2019),
                      case("2020 一人 3750", "3750.00", "candidate", 2020))
    result = run("rules", "test", path)
    assert result.exit_code == 0, result.output
    text = flat(result)
    assert "规则集 changchun-2019(edgescreen 自带)" in text, text
    assert "2019 收入年度:下限 3,218.00 元、上限 4,000.00 元" in text, text
    assert "2020 收入年度:下限 3,218.00 元、上限 4,000.00 元(规则集里没有 2020 年度自己的数值,沿用自 2019-01-01 起施行的数值)" \
        in text, text
    # 2019 has its own figures: no carrying on said for it.
    assert text.count("沿用") == 1, text
    # The years said before the table, in year order.
    assert text.index("2019 收入年度") < text.index("2020 收入年度") < text.index("用例")
    english = flat(run("rules", "test", path, lang="en"))
    assert "income year 2020: lower bound 3,218.00, upper bound 4,000.00 yuan (the rule set has no figures of 2020's own: " \
           "those in force since 2019-01-01 carry on)" in english, english


def test_a_county_file_with_its_own_2020_figure_is_named_and_said_without_carrying_on(tmp_path):
    county = tmp_path / "本县.toml"
    lines = shipped_rules().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if "effective = 2019-01-01, value = 3218" in line)
    lines.insert(at + 1, '  { effective = 2020-01-01, value = 3750, source = "县扶贫办通知" },\n')
    county.write_text("".join(lines).replace('id = "changchun-2019"', 'id = "bencounty-2020"'), encoding="utf-8")
    checked = run("rules", "check", county)
    assert checked.exit_code == 0, checked.output
    path = cases_file(tmp_path / "本县-测试.toml", case("2020 一人 3750.01", "3750.01", "candidate"),
                      head='rules = "本县.toml"\nyear = 2020\n\n')
    result = run("rules", "test", path)
    assert result.exit_code == 0, result.output
    text = flat(result)
    assert f"规则集 bencounty-2020({county})" in text, text
    assert "2020 收入年度:下限 3,750.00 元、上限 4,000.00 元" in text and "沿用" not in text, text


def test_a_failing_case_says_its_per_capita_against_the_bounds(tmp_path):
    path = cases_file(tmp_path / "错.toml",
                      case("恰好 3750", "3750.00", "below_line", 2020),
                      case("4000 达到上限", "4000.00", "above_limit", 2020),
                      case("3218 不高于下限", "3218.00", "candidate", 2019))
    result = run("rules", "test", path)
    assert result.exit_code == 1, result.output
    text = flat(result)
    first = text.split("未通过 用例「恰好 3750」", 1)[1]
    assert first.startswith("(2020 收入年度): 人均纯收入 3,750.00 元:高于下限 3,218.00 元、低于上限 4,000.00 元"), first
    last = text.split("未通过 用例「3218 不高于下限」", 1)[1]
    assert last.startswith("(2019 收入年度): 人均纯收入 3,218.00 元:不高于下限 3,218.00 元、低于上限 4,000.00 元"), last
    # The passing case has no figure line: only failures are explained.
    assert "人均纯收入 4,000.00 元" not in text, text
    english = flat(run("rules", "test", path, lang="en"))
    assert "per-capita net income 3,750.00 yuan: above the lower bound of 3,218.00 yuan, below the upper bound of " \
           "4,000.00 yuan" in english, english


def test_a_status_shortened_as_a_clerk_writes_it_is_taken(tmp_path):
    path = cases_file(tmp_path / "简写.toml",
                      case("低于", "3000", "低于贫困标准", 2019),
                      case("候选", "3500", "候选", 2019),
                      case("达到上限", "4000", "达到收入上限", 2019),
                      head='rules = "changchun-2019"\n\n')
    result = run("rules", "test", path)
    assert result.exit_code == 0, result.output
    assert "3 个用例中 3 个通过" in flat(result), result.output


def test_wrong_statuses_are_each_named_and_the_statuses_listed_once(tmp_path):
    path = cases_file(tmp_path / "状态拼错.toml",
                      case("一", "3000", "above_limt", 2019),
                      case("二", "3000", "暂不列入", 2019),
                      case("三", "3000", "贫困户", 2019),
                      case("四", "3000", "above_limt", 2019))
    result = run("rules", "test", path)
    assert result.exit_code == 2, result.output
    text = flat(result)
    # The seven listed once, after the cases' lines.
    assert text.count("excluded_registered") == 1 and text.count("below_line") == 1, text
    assert "认定结果(expect.status)写代码或名称:excluded_dibao(或「低保户(暂不列入)」)、" in text, text
    assert text.endswith("名称也可只写其中只属于一种认定结果的一段,如「低于贫困标准」"), text
    # Each case's own line: the nearest status, or the statuses a part fits.
    assert text.count("应为以下之一(列在最后),是不是 above_limit「达到收入上限,不符合」?(填写的是:'above_limt')") == 2, text
    assert "可以是 excluded_dibao(或「低保户(暂不列入)」)、excluded_tekun(或「特困人员(暂不列入)」) 中的任一个:请写全名称或代码" \
           "(填写的是:'暂不列入')" in text, text
    # A piece from the middle of a name (转贫困户识别) is not taken for it.
    assert "(填写的是:'贫困户')" in text, text


def test_a_rules_files_wubao_is_refused_saying_it_is_read_as_tekun(tmp_path):
    said = "五保户按特困人员认定,调查表的「是否五保户」列算作「是否特困人员」,填「是」的已作为特困人员不列入;要不列入五保户,在 [exclude] 中写 tekun = true"
    # The unquoted Chinese key is no TOML: said at its own line, the key quoted as it was typed.
    for key, where in (("wubao", "exclude.wubao"), ('"五保户"', "exclude.五保户"),
                       ("五保户", "第{line}行:不是有效的TOML:项名「五保户」")):
        path = tmp_path / f"本县-{key.strip(chr(34))}.toml"
        path.write_text(shipped_rules().replace("tekun = true", f"{key} = true", 1), encoding="utf-8")
        line = path.read_text(encoding="utf-8").splitlines().index(f"{key} = true") + 1
        where = where.format(line=line)
        result = run("rules", "check", path)
        assert result.exit_code != 0, result.output
        text = "".join(result.output.split())
        assert where in text and said.replace(" ", "") in text, result.output
        assert "只能是dibao" not in text, result.output  # the keys [exclude] takes are not the answer
    english = flat(run("rules", "check", tmp_path / "本县-wubao.toml", lang="en"))
    assert "unknown key (did you mean 'tekun'?): a 五保户 is read as 特困 (tekun): the survey's 是否五保户 column counts as " \
           "是否特困人员" in english, english
