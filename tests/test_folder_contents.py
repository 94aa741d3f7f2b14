"""A township's folder given to `screen` and `check`: every file in it that is not read is named with
why (an .xlsb, a file of another type, a folder too deep, a 汇总 workbook, a lock file), the village
folders directly inside it are read, and `check` does not call the folder ready to send while a file
that may hold households went unread."""

from __future__ import annotations

import openpyxl
from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from edgescreen.cli import app
from edgescreen.jobs import check
from edgescreen.outputs.ledger import read_issues, read_ledger

runner = CliRunner()
READY = "可以报送"


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def flat(result) -> str:
    return "".join(result.output.split())


def village(path, name: str, serial: int, n: int = 3):
    rows = [household(**{"行政村": name, "户主身份证号": make_id("19700101", serial=serial + 2 * i)})
            for i in range(n)]
    return write_workbook(path, rows)


def summary(path):
    """A township's 汇总 workbook: households counted by village, none listed."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append(["合隆镇贫困边缘户汇总表"])
    ws.append(["序号", "村", "户数", "人口", "家庭总收入(元)"])
    ws.append([1, "前岗村", 3, 9, 30000])
    ws.append([2, "东兴村", 3, 9, 30000])
    wb.save(path)
    return path


def lock_file(path):
    """What Excel writes beside an open workbook: a few bytes naming who has it open."""
    path.write_bytes(b"\x06clerk " + b"\x20" * 48 + b"\x06\x00c\x00l\x00e\x00r\x00k\x00" + b"\x20\x00" * 50)
    return path


def test_an_xlsb_in_a_folder_is_named_and_check_does_not_say_ready(tmp_path):
    town = tmp_path / "town5"
    town.mkdir()
    village(town / "三宝村.xlsx", "三宝村", 300)
    village(town / "团结村.xlsx", "团结村", 400)
    (town / "东兴村.xlsb").write_bytes(b"PK\x03\x04" + b"\0" * 200)
    (town / "说明.docx").write_bytes(b"PK\x03\x04" + b"\0" * 100)
    out = tmp_path / "report"
    done = run("check", town, "-o", out)
    assert done.exit_code == 0, done.output
    text = flat(done)
    assert "东兴村.xlsb" in text and "另存为.xlsx" in text, text
    assert "说明.docx" in text, text
    assert READY not in text and "没有读入" in text, text
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "东兴村.xlsb" in html and "说明.docx" in html
    assert "结论:未发现问题" not in html

    screened = run("screen", town, "-o", tmp_path / "screen")
    assert screened.exit_code == 0, screened.output
    assert "东兴村.xlsb" in flat(screened) and "另存为.xlsx" in flat(screened)


def test_a_folder_of_xlsb_only_names_them_in_its_error(tmp_path):
    town = tmp_path / "town"
    town.mkdir()
    (town / "东兴村.xlsb").write_bytes(b"PK\x03\x04" + b"\0" * 200)
    done = run("check", town, "-o", tmp_path / "r")
    assert done.exit_code == 2, done.output
    assert "东兴村.xlsb" in flat(done) and "另存为.xlsx" in flat(done)


def test_village_folders_inside_a_township_folder_are_read_and_deeper_ones_named(tmp_path):
    town = tmp_path / "town4"
    for name, serial in (("前岗村", 300), ("东兴村", 400)):
        (town / name).mkdir(parents=True)
        village(town / name / f"{name}.xlsx", name, serial)
    (town / "东兴村" / "旧表").mkdir()
    village(town / "东兴村" / "旧表" / "东兴村旧.xlsx", "东兴村", 500)

    out = tmp_path / "report"
    done = run("check", town, "-o", out)
    assert done.exit_code == 0, done.output
    text = flat(done)
    assert "6户" in text, text  # both villages' three households, the deeper folder's not
    assert "东兴村/旧表/" in text and str(town / "东兴村" / "旧表") in done.output.replace("\n  ", ""), text
    assert READY not in text
    assert "东兴村/旧表/" in (out / "report.html").read_text(encoding="utf-8")

    # Beside a file of the township's own, the village folders are read too.
    village(town / "三宝村.xlsx", "三宝村", 600)
    done = run("check", town, "-o", out, "--force")
    assert done.exit_code == 0, done.output
    assert "9户" in flat(done)


def test_a_township_summary_found_in_a_folder_is_passed_over_and_named(tmp_path):
    town = tmp_path / "合隆镇"
    town.mkdir()
    village(town / "前岗村.xlsx", "前岗村", 300)
    summary(town / "合隆镇汇总.xlsx")
    out = tmp_path / "report"
    done = run("check", town, "-o", out)
    assert done.exit_code == 0, done.output
    text = flat(done)
    # a 汇总 counts by village and lists no one: named, and no reason to hold the folder back
    assert "3户" in text and "合隆镇汇总.xlsx" in text and "是汇总表" in text, text
    assert READY in text
    assert "合隆镇汇总.xlsx" in (out / "report.html").read_text(encoding="utf-8")
    outcome = check([town], out_dir=tmp_path / "lib")
    assert [(o.shown, o.reason) for o in outcome.result.left_out] == [("合隆镇汇总.xlsx", "summary_workbook")]

    # A workbook with no household header that is no summary either may hold households: it does.
    notes = openpyxl.Workbook()
    notes.active.append(["填表说明:请按户填写"])
    notes.save(town / "说明.xlsx")
    held = run("check", town, "-o", tmp_path / "held")
    assert held.exit_code == 0 and "说明.xlsx" in flat(held) and "没有找到农户表头" in flat(held), held.output
    assert READY not in flat(held)
    (town / "说明.xlsx").unlink()

    screened = run("screen", town, "-o", tmp_path / "screen")
    assert screened.exit_code == 0, screened.output
    assert "合隆镇汇总.xlsx" in flat(screened)

    # Named on the command line, it is still refused, clearly; and so is a folder of summaries alone.
    named = run("check", town / "合隆镇汇总.xlsx", "-o", tmp_path / "named")
    assert named.exit_code == 2 and "没有找到农户表头" in flat(named), named.output
    alone = tmp_path / "alone"
    alone.mkdir()
    summary(alone / "合隆镇汇总.xlsx")
    refused = run("check", alone, "-o", tmp_path / "alone-r")
    assert refused.exit_code == 2 and "没有找到农户表头" in flat(refused), refused.output


def test_a_lock_file_in_a_folder_says_its_workbook_may_be_open(tmp_path):
    town = tmp_path / "town"
    town.mkdir()
    village(town / "新立村.xlsx", "新立村", 300)
    lock_file(town / "~$新立村.xlsx")
    done = run("check", town, "-o", tmp_path / "r")
    assert done.exit_code == 0, done.output
    text = flat(done)
    assert "~$新立村.xlsx" in text and "新立村.xlsx可能正在Excel或WPS中打开" in text, text
    # Its workbook was read, but it may hold changes not saved yet: not ready to send until it is saved,
    # closed and checked again (an outside try: 可以报送 was said).
    assert READY not in text and "保存并关闭后重新检查,再报送" in text, text

    named = run("check", town / "~$新立村.xlsx", "-o", tmp_path / "r2")
    assert named.exit_code == 2, named.output
    text = flat(named)
    assert "锁定文件" in text and "请给出新立村.xlsx" in text and "不是Excel文件" not in text, text


def test_screen_says_again_below_its_summary_that_a_workbook_is_open(tmp_path):
    """The lock file's line comes before the summary table and has scrolled away by its end (an outside
    try at 80 columns): the closing lines say it again, naming the workbook."""
    town = tmp_path / "town"
    town.mkdir()
    village(town / "新立村.xlsx", "新立村", 300)
    lock_file(town / "~$新立村.xlsx")
    done = run("screen", town, "-o", tmp_path / "out")
    assert done.exit_code == 0, done.output
    text = flat(done)
    summary = text.index("合计")
    assert "新立村.xlsx在Excel或WPS中开着,读入的是它最后一次保存的内容" in text[summary:], text
    (town / "~$新立村.xlsx").unlink()  # saved and closed
    calm = run("screen", town, "-o", tmp_path / "out2")
    assert calm.exit_code == 0 and "开着" not in flat(calm), calm.output


def test_townships_folders_holding_the_same_form_name_are_read_and_told_apart(tmp_path):
    """Each township sends the form under the same name: a county's folder of township folders
    is read whole, and the ledger, the issues and the terminal name each file with its folder."""
    county = tmp_path / "农安县"
    for town, serial in (("合隆镇", 100), ("华家镇", 500)):
        (county / town).mkdir(parents=True)
        rows = [household(**{"乡(镇)": town, "行政村": f"{town[:2]}村", "户主姓名": f"户主{serial + i}",
                             "户主身份证号": make_id("19700101", serial=serial + 2 * i)}) for i in range(3)]
        rows[0]["工资性收入"] = "见备注"  # an issue, to see the file named in issues.csv
        write_workbook(county / town / "贫困边缘户登记表.xlsx", rows)
    out = tmp_path / "out"
    done = run("screen", county, "-o", out)
    assert done.exit_code == 0, done.output
    ledger = read_ledger(out / "decisions.csv")
    assert len(ledger) == 6 and ledger["head_name"].is_unique  # every household once
    assert ledger.groupby("source_file")["township"].unique().map(list).to_dict() == {
        "合隆镇/贫困边缘户登记表.xlsx": ["合隆镇"], "华家镇/贫困边缘户登记表.xlsx": ["华家镇"]}
    issues = read_issues(out / "issues.csv")
    assert set(issues.loc[issues["field"] == "wage_income", "source_file"]) == {
        "合隆镇/贫困边缘户登记表.xlsx", "华家镇/贫困边缘户登记表.xlsx"}
    checked = run("check", county, "-o", tmp_path / "report")
    assert "华家镇/贫困边缘户登记表.xlsx" in flat(checked)


def test_checks_last_line_with_a_warning_and_a_file_not_read_says_the_warning(tmp_path):
    """A warning and an .xlsb in the folder: the last line said 读入的农户没有发现数据问题 (the unread
    file's line) above a table holding the warning (reviewer, 2026-12-02)."""
    town = tmp_path / "town"
    town.mkdir()
    write_workbook(town / "三宝村.xlsx", [household(**{"行政村": "三宝村", "家庭常住人口数": 5, "家庭人口数": 3})])
    (town / "东兴村.xlsb").write_bytes(b"PK\x03\x04" + b"\0" * 200)
    done = run("check", town, "-o", tmp_path / "report")
    text = flat(done)
    assert "没有错误级问题;警告请看report.html" in text, text
    assert "读入的农户没有发现数据问题" not in text and READY not in text


def test_a_township_folder_is_listed_once_by_screen_and_by_check(tmp_path, monkeypatch):
    """The command line finds the inputs before the library loads and passes them down: the folders
    are listed once, not again by the job and the pipeline, nor once more for each lock file."""
    town = tmp_path / "town"
    (town / "东兴村").mkdir(parents=True)
    village(town / "新立村.xlsx", "新立村", 300)
    village(town / "东兴村" / "东兴村.xlsx", "东兴村", 400)
    lock_file(town / "~$新立村.xlsx")
    lock_file(town / "~$三宝村.xlsx")
    listed: list[str] = []
    real = type(town).iterdir

    def iterdir(self):
        if self.is_relative_to(town):
            listed.append(self.relative_to(town).as_posix())
        return real(self)

    monkeypatch.setattr(type(town), "iterdir", iterdir)
    for command, out in (("screen", tmp_path / "out"), ("check", tmp_path / "report")):
        listed.clear()
        done = run(command, town, "-o", out)
        assert done.exit_code == 0, done.output
        assert sorted(listed) == [".", "东兴村"], (command, listed)
        assert "~$新立村.xlsx" in flat(done)


def test_a_notes_text_file_in_a_folder_is_named_without_an_empty_sheet_list(tmp_path):
    """A 说明.txt beside the villages' forms was said 没有找到农户表头(工作表:): a text file has no sheets."""
    town = tmp_path / "town"
    town.mkdir()
    village(town / "新立村.xlsx", "新立村", 300)
    (town / "说明.txt").write_text("填表说明:\n1. 请如实填写。\n2. 收入以元为单位。\n", encoding="utf-8")
    done = run("screen", town, "-o", tmp_path / "out")
    assert done.exit_code == 0, done.output
    text = flat(done)
    assert "说明.txt:没有读入:文件中没有找到农户表头。" in text and "工作表:)" not in text, text


def test_a_workbook_without_a_household_header_names_its_sheets_as_chinese_lists_them(tmp_path):
    """The sheets looked through were joined by ', ' in code inside the Chinese refusal (reviewer)."""
    import openpyxl as xl

    book = xl.Workbook()
    book.active.title = "说明"
    book.active.append(["填表说明"])
    book.create_sheet("附表").append(["备注"])
    book.save(tmp_path / "说明.xlsx")
    done = run("check", tmp_path / "说明.xlsx", "-o", tmp_path / "r")
    assert done.exit_code == 2 and "「说明」、「附表」" in flat(done), done.output


def test_a_workbook_in_a_folder_with_its_households_on_a_hidden_sheet_says_how_to_read_them(tmp_path):
    """Passed over in a folder, such a workbook was said only 没有找到农户表头(工作表:「说明」); named
    alone, its refusal said --include-hidden. The folder's line now names the sheets as the refusal
    does, the hidden one with how to read it (reviewer)."""
    town = tmp_path / "town"
    town.mkdir()
    village(town / "新立村.xlsx", "新立村", 300)
    path = village(town / "东兴村.xlsx", "东兴村", 400)
    book = openpyxl.load_workbook(path)
    book.active.sheet_state = "hidden"
    book.create_sheet("说明", 0).append(["填表说明"])
    book.active = 0
    book.save(path)
    done = run("screen", town, "-o", tmp_path / "out")
    assert done.exit_code == 0, done.output
    text = flat(done)
    assert "东兴村.xlsx:没有读入:文件中没有找到农户表头(查看了工作表:「说明」)" in text, text
    assert "--include-hidden" in text.split("东兴村.xlsx:没有读入")[1], text


def test_a_workbook_named_with_its_lock_file_beside_it_is_said_to_be_open(tmp_path):
    """Found by an outside try: a folder's lock file was said (the workbook may be open with unsaved
    changes), but not that of a workbook named on the command line, the usual case at 6 p.m. Excel
    names a long file's lock by dropping its first two characters."""
    for name in ("前岗村.xlsx", "合隆镇前岗村贫困边缘户入户登记表.xlsx"):
        path = village(tmp_path / name, "前岗村", 100)
        lock = tmp_path / ("~$" + (name if len(name) < 20 else name[2:]))
        lock.write_bytes(b"\x0ezhangsan" + b"\x00" * 40)
        for command in ("screen", "check"):
            result = run(command, path, "-o", tmp_path / f"out-{command}", "--force")
            said = flat(result)
            assert f"{lock.name}:Excel/WPS打开{name}时留下的锁定文件" in said, said
            assert f"{name}可能正在Excel或WPS中打开,有未保存的修改" in said, said
            if command == "check":  # from an outside try: it ended 没有发现数据问题,可以报送
                assert "可以报送" not in said and "保存并关闭后重新检查,再报送" in said, said
        lock.unlink()
        assert "锁定文件" not in flat(run("screen", path, "-o", tmp_path / "out-screen", "--force"))


def test_every_file_a_folder_cannot_give_is_named_in_one_run(tmp_path):
    """From an outside try: a folder with a corrupt, an empty and a doubled file stopped at the first,
    then at the next run at the second: four runs to learn of three files. Now one names them all,
    and nothing is written."""
    town = tmp_path / "town"
    town.mkdir()
    village(town / "新立村.xlsx", "新立村", 300)
    (town / "三宝村.xlsx").write_bytes(b"PK\x03\x04not a workbook")
    (town / "东兴村.xlsx").write_bytes(b"")
    (town / "新立村(1).xlsx").write_bytes((town / "新立村.xlsx").read_bytes())
    done = run("screen", town, "-o", tmp_path / "out")
    assert done.exit_code == 2, done.output
    text = flat(done)
    assert "3个文件不能读入,都没有筛查" in text, text
    assert "三宝村.xlsx:不是工作簿" in text and "东兴村.xlsx:文件是空的" in text and "内容完全相同" in text, text
    assert not (tmp_path / "out").exists()
