"""Three things the register's terminal left unsaid (outside try AU, 农安县 through 民主评议 and 入户核实).

- A new round refused while villages were part-way counted only those with a step recorded: 29 of 30,
  高家店镇青山村's 民主评议 form out (printed, nothing recorded) left out, though the new round voids it
  too, as the warning of a round begun says. The refusal counts and names it now.
- `register status` as a county's overview (a line per township) said the steps done, not what was due
  to print next, nor to run `register next`. Under the township lines, a line per step due says of how
  many villages of each township, and the overview ends with the command.
- `register next --force` replaced a folder holding blank 民主评议 forms (their filled copies recorded from
  another folder) and said only the form it kept: it says, in one line, what it removed."""

from __future__ import annotations

from pathlib import Path

import edgescreen.cli.register as cli_register
from register_builders import fill, meeting
from test_register import DATES, FOLDERS, Walk, run


def _said(result) -> str:
    return " ".join(result.output.split())


def _filled_elsewhere(walk: Walk, forms: list[Path]) -> list[Path]:
    """The 民主评议 forms filled as the villages return them: copies in another folder, the printed
    ones left blank where they were printed."""
    back = walk.tmp / "交回"
    back.mkdir()
    return [fill(p, default=("同意", ""), form=meeting("2019年11月25日"), save_as=back / p.name) for p in forms]


def test_the_refusal_of_a_new_round_counts_and_names_a_village_with_only_its_documents_out(tmp_path):
    walk = Walk(tmp_path)
    forms = walk.issue("review")
    recorded = [p for p in forms if "三宝村" not in p.name]
    for p in recorded:
        fill(p, default=("同意", ""), form=meeting("2019年11月25日"))
    walk.record(*recorded)  # 三宝村's form still out: nothing of it recorded
    said = _said(run("screen", walk.resurvey(), "-o", tmp_path / "再筛", "--register", walk.db,
                     "--date", DATES["verify"], code=2))
    assert "第 1 轮还有 3 个村的认定或退出程序没有办完" in said, said
    assert "烧锅镇三宝村(待「民主评议」)" in said, said
    assert "合隆镇前岗村(待「入户核实」)" in said, said


def test_documents_out_alone_still_begin_the_round_with_the_warning(tmp_path):
    """Guards what was right: with no step recorded anywhere, documents out warn and do not refuse (a
    screen again after register next), counting the villages as the refusal does."""
    walk = Walk(tmp_path)
    walk.issue("review")
    said = _said(run("screen", walk.resurvey(), "-o", tmp_path / "再筛", "--register", walk.db,
                     "--date", DATES["verify"]))
    assert "第 1 轮已发出、尚未登记的文书共 3 份,涉及 3 个村" in said, said


def test_a_countys_status_says_per_township_what_is_due_and_ends_with_the_command(tmp_path, monkeypatch):
    monkeypatch.setattr(cli_register, "STATUS_WHOLE_AT_MOST", 0)  # a county's: a line per township
    walk = Walk(tmp_path)
    walk.through("verify")
    lines = [line.strip() for line in run("register", "status", walk.db).output.splitlines() if line.strip()]
    total = next(i for i, line in enumerate(lines) if line.startswith("合计:"))
    # Under the township lines and their total: each step due, of how many villages of each township.
    assert lines[total + 1] == "待发出「第一次公示」文书的 3 个村:合隆镇 2 个、烧锅镇 1 个", lines
    assert lines[-2] == "接下来:打印上面「待发出」的文书,请运行:", lines
    assert lines[-1] == f"edgescreen register next {walk.db} -o {walk.tmp / 'docs-verify'} --force", lines
    # Printed, the 公示 is out and due no more: neither said due nor the command given.
    walk.issue("publicity1")
    said = run("register", "status", walk.db).output
    assert "待发出" not in said and "register next" not in said, said


def test_next_force_says_in_one_line_the_blank_forms_it_removed(tmp_path):
    walk = Walk(tmp_path)
    folder = tmp_path / "文书"
    run("register", "next", walk.db, "--date", DATES["review"], "-o", folder)
    forms = sorted((folder / FOLDERS["review"]).glob("*.xlsx"))
    filled = _filled_elsewhere(walk, [p for p in forms if "三宝村" not in p.name])
    walk.record(*filled)  # recorded from 交回/; the blank ones stay in 文书/1-民主评议
    said = _said(run("register", "next", walk.db, "--date", DATES["verify"], "-o", folder, "--force"))
    left = sorted(p.name for p in (folder / FOLDERS["review"]).glob("*.xlsx"))
    assert left == [p.name for p in forms if "三宝村" in p.name], left  # the one out, kept
    assert (f"--force 替换文件夹,删去了其中 2 份打印后没有填写的空白文书:「民主评议」2 份(已登记的是另外交回的填写件,"
            f"登记簿里有它们;原在 {folder / FOLDERS['review']})") in said, said
    assert f"民主评议:1 份已发出、尚未登记的文书原样保留在 {folder / FOLDERS['review']}" in said, said


def test_next_force_names_the_step_folder_it_removed_whole(tmp_path):
    walk = Walk(tmp_path)
    folder = tmp_path / "文书"
    run("register", "next", walk.db, "--date", DATES["review"], "-o", folder)
    forms = sorted((folder / FOLDERS["review"]).glob("*.xlsx"))
    walk.record(*_filled_elsewhere(walk, forms))
    said = _said(run("register", "next", walk.db, "--date", DATES["verify"], "-o", folder, "--force", "--lang", "en"))
    assert not (folder / FOLDERS["review"]).exists()
    assert ("--force replaced the folder and removed 3 blank documents it held, as printed and never filled in: "
            "3 of the ") in said, said
    assert f"they were in {folder / FOLDERS['review']})" in said, said
