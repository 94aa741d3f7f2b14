"""What a clerk gets wrong around a run, said in Chinese with what to do (found by an outside try):
a bad file among a folder's same-named forms, `screen .`, a stray EDGESCREEN_LANG."""

from __future__ import annotations

from typer.testing import CliRunner

from survey_builders import household, write_workbook
from edgescreen.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_a_bad_file_in_a_folder_is_named_with_its_folder_and_says_what_to_do(tmp_path):
    """Found by an outside try: in a folder of township folders each holding 登记表.xlsx, an empty or
    truncated one was named 登记表.xlsx alone, and the message said what was wrong, not what to do."""
    for town in ("合隆镇", "烧锅镇"):
        (tmp_path / "in" / town).mkdir(parents=True)
    good = write_workbook(tmp_path / "in" / "合隆镇" / "登记表.xlsx", [household()])
    bad = tmp_path / "in" / "烧锅镇" / "登记表.xlsx"
    bad.write_bytes(b"")
    said = "".join(run("screen", tmp_path / "in", "-o", tmp_path / "out").output.split())
    assert "烧锅镇/登记表.xlsx:文件是空的(0字节)。可能还在复制或没有保存完" in said, said
    bad.write_bytes(good.read_bytes()[:3000])  # a copy cut short
    said = "".join(run("screen", tmp_path / "in", "-o", tmp_path / "out").output.split())
    assert "烧锅镇/登记表.xlsx:不是工作簿" in said and "请报送单位重新发送这个文件" in said, said


def test_the_default_output_folder_of_the_current_folder_is_named_after_it(tmp_path, monkeypatch):
    """`screen .` wrote a folder named -edgescreen (a leading dash reads as an option) and `check .`
    one named -质量报告: now each is named after the folder."""
    folder = tmp_path / "合隆镇"
    folder.mkdir()
    write_workbook(folder / "前岗村.xlsx", [household()])
    monkeypatch.chdir(folder)
    assert run("screen", ".").exit_code == 0
    assert (folder / "合隆镇-edgescreen" / "decisions.csv").exists()
    assert run("check", ".").exit_code == 0
    assert (tmp_path / "合隆镇-质量报告" / "quality.xlsx").exists()


def test_a_bad_edgescreen_lang_is_named_as_the_environment_variable(tmp_path, monkeypatch):
    path = write_workbook(tmp_path / "合隆镇.xlsx", [household()])
    monkeypatch.setenv("EDGESCREEN_LANG", "fr")
    said = "".join(run("check", path, "-o", tmp_path / "r").output.split())
    assert "环境变量EDGESCREEN_LANG只能是zh或en,不能是'fr'" in said, said
    said = "".join(run("check", path, "-o", tmp_path / "r", "--lang", "de").output.split())
    assert "--lang只能是zh或en,不能是'de'" in said, said
    monkeypatch.setenv("EDGESCREEN_LANG", "zh_CN.UTF-8")  # a locale's way of saying it
    assert run("check", path, "-o", tmp_path / "r").exit_code == 0


def test_an_option_typed_with_one_dash_is_named_as_typed_with_the_one_meant(tmp_path):
    """-force was said as "no option -f" (click reads it as -f -o -r -c -e), -help as "no option -e";
    a value missing at the end sent the clerk to edgescreen -h, not the command's help."""
    path = write_workbook(tmp_path / "合隆镇.xlsx", [household()])
    for typed, meant in (("-force", "--force"), ("-help", "--help")):
        said = "".join(run("screen", path, typed).output.split())
        assert f"没有{typed}这个选项。你是不是要写{meant}?" in said, said
        assert "运行edgescreenscreen-h查看帮助" in said, said
    said = "".join(run("screen", path, "-o").output.split())
    assert "选项-o后面要写一个值" in said and "运行edgescreenscreen-h查看帮助" in said, said


def test_explain_takes_the_row_it_suggests_for_files_of_the_same_name(tmp_path):
    """Found by an outside try: every township sends 入户登记表.xlsx; explain --name suggested
    --row 华家镇/入户登记表.xlsx:Sheet1:2 and then refused it (it compared the bare file name)."""
    from survey_builders import make_id

    for town, serial in (("华家镇", 11), ("合隆镇", 15)):
        (tmp_path / town).mkdir()
        head = household(户主姓名="张三", 户主身份证号=make_id(serial=serial))
        write_workbook(tmp_path / town / "入户登记表.xlsx", [head])
    said = "".join(run("explain", tmp_path, "--name", "张三").output.split())
    assert "--row华家镇/入户登记表.xlsx:Sheet1:2" in said, said
    for row in ("华家镇/入户登记表.xlsx:Sheet1:2", f"{tmp_path}/华家镇/入户登记表.xlsx:Sheet1:2"):
        result = run("explain", tmp_path, "--row", row)
        said = "".join(result.output.split())
        assert result.exit_code == 0 and "位置:华家镇/入户登记表.xlsx「Sheet1」第2行" in said, result.output
    said = "".join(run("explain", tmp_path, "--row", "入户登记表.xlsx:Sheet1:2").output.split())
    assert "不是输入文件之一(华家镇/入户登记表.xlsx、合隆镇/入户登记表.xlsx)" in said, said  # which one: not told
    # What was typed, quoted: "--row 入户登记表.xlsx:Sheet1:2:入户登记表.xlsx 不是…" read as one garbled path.
    assert "--row「入户登记表.xlsx:Sheet1:2」:入户登记表.xlsx不是输入文件之一" in said, said


def test_what_the_clerk_typed_is_quoted_as_typed_not_turned_into_emoji(tmp_path):
    """rich turned :one: and :fire: in a typed sheet or file name into emoji in messages."""
    path = write_workbook(tmp_path / "合隆镇.xlsx", [household()])
    said = run("explain", path, "--row", "合隆镇.xlsx:one:5").output
    assert "合隆镇.xlsx:one:5" in "".join(said.split()) and "1️⃣" not in said, said
