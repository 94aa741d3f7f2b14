"""The sample county walks the whole procedure (sample_data/procedure.py, issue 15 item 4), here on its
first three villages: the 花名册 holds, household by household, every first-pass candidate of those
villages the clerks did not turn down, with its figures from the screen's ledger; those turned down
are in 进度.xlsx with the step and the reason; the other villages still wait at the meeting."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import openpyxl
import pandas as pd

from print_size import printed_pages, printed_points
from edgescreen.outputs.ledger import read_ledger
from edgescreen.outputs.privacy import mask_id
from edgescreen.outputs.places import group_numbers

ROOT = Path(__file__).resolve().parents[1]


def _script():
    spec = importlib.util.spec_from_file_location("sample_procedure", ROOT / "sample_data" / "procedure.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_sample_walks_from_the_screen_to_the_register(tmp_path, capsys):
    out = tmp_path / "walk"
    left = _script().main(["-o", str(out), "--villages", "3"])
    capsys.readouterr()
    # The clerks turned down households at four steps: a meeting, a visit, an objection, a township.
    assert {step for step, _ in left.values()} == {"民主评议", "入户核实", "第一次公示", "乡镇审核"}

    ledger = read_ledger(out / "筛查" / "decisions.csv")
    # The first three files by name, in the order the survey has them (the 花名册's order).
    villages = [("华家镇", "八里营村"), ("华家镇", "五家子村"), ("华家镇", "东升村")]
    candidates = ledger[(ledger["status"] == "candidate")
                        & pd.Series(list(zip(ledger["township"], ledger["village"]))).isin(villages).to_numpy()].copy()
    candidates["masked"] = mask_id(candidates["head_id"]).to_numpy()
    candidates["who"] = candidates["head_name"] + " " + candidates["masked"]
    candidates["per_capita"] = candidates["per_capita_income"].astype(float)
    candidates["order"] = [villages.index((t, v)) for t, v in zip(candidates["township"], candidates["village"])]
    assert set(left) <= set(candidates["who"])

    book = openpyxl.load_workbook(out / "花名册.xlsx")
    rows = [[c.value for c in r] for r in book["花名册"].iter_rows(min_row=4)]
    listed = [r for r in rows if isinstance(r[0], int)]
    # Within a village by 村民小组's number, within a group in the survey's order (its ledger row).
    groups = {f"{r[2]} {r[3]}": r[1] for r in listed}
    expected = candidates[~candidates["who"].isin(left)].copy()
    expected["group"] = group_numbers(expected["who"].map(groups)).to_numpy()
    expected = expected.sort_values(["order", "group", "row"], kind="stable")
    assert len(listed) == len(expected) > 20
    for row, (_, want) in zip(listed, expected.iterrows()):
        seq, group, name, masked, members, residents, per_capita, year, difficulty, entered, measures, person, gap = row
        assert (name, masked) == (want["head_name"], want["masked"])
        assert residents == int(want["residents"]) and per_capita == want["per_capita"]
        assert entered == "2020年1月8日" and measures is None and person is None and year == 2019
    headings = [r[0] for r in rows if isinstance(r[0], str) and "户" in r[0]]
    assert headings[0] == f"华家镇(共 {len(expected)} 户)"
    assert headings[1].startswith(f"    八里营村({(expected['order'] == 0).sum()} 户)")

    _prints_each_page_with_its_places(book, len(listed))

    progress_book = openpyxl.load_workbook(out / "进度.xlsx")
    removed = progress_book["移出名单"]
    found = {f"{r[4].value} {r[5].value}": (r[6].value, r[7].value) for r in removed.iter_rows(min_row=3)}
    assert found == left
    progress = progress_book["各村进度"]
    states = {r[1].value: r[-3].value for r in progress.iter_rows(min_row=5)}
    assert states["东升村"].startswith("已在册") and states["腰站村"] == "「民主评议」文书已发出,待登记"


def _prints_each_page_with_its_places(book, households: int) -> None:
    """The 花名册 printed on A4 at 9 pt or more, every page headed with its title, and every page
    naming, above its first household, the township and the village of each household on it (a page
    that begins in the middle of a village too); 主要困难 centred vertically like the other columns.
    The 认定环节 sheet likewise: 9 pt or more, headed with its title, each row with its township and
    village."""
    ws, steps = book["花名册"], book["认定环节"]
    header = next(r[0].row for r in ws.iter_rows() if r[0].value == "序号")
    assert printed_points(ws, header + 1) >= 9.0
    assert ws.oddHeader.center.text == ws.cell(1, 1).value and "花名册" in ws.oddHeader.center.text
    column = {c.value: c.column for c in ws[header]}
    risk = next(r for r in ws.iter_rows(min_row=header + 1) if isinstance(r[0].value, int))[column["主要困难"] - 1]
    assert risk.alignment.vertical == "center"
    # Where each household is, from the steps sheet (the same 序号).
    place = {r[0].value: (r[1].value, r[2].value) for r in steps.iter_rows(min_row=3) if isinstance(r[0].value, int)}
    pages = printed_pages(ws)
    assert len(pages) >= 2 and sum(isinstance(ws.cell(r, 1).value, int) for p in pages for r in p) == households
    for number, page in enumerate(pages[1:], start=2):
        said = ""
        for r in page:
            value = ws.cell(r, 1).value
            if isinstance(value, str):
                said += value
            elif isinstance(value, int):
                township, village = place[value]
                assert township in said and village in said, (number, value, said)
    # A page beginning inside a village: test_roster_pages_history_end (the sample's villages now fit
    # the denser pages whole).
    assert printed_points(steps, 3) >= 9.0 and steps.oddHeader.center.text == steps.cell(1, 1).value


def _readme_year_two() -> list[list[str]]:
    """The commands of the README's "Year two" block: each as its words before the first path, and
    its option names."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("### Year two")
    block = text[text.index("```", start) + 3:]
    block = block[block.index("\n") + 1:block.index("```")]
    commands = []
    for line in block.splitlines():
        words = line.split("#")[0].split()
        if words and words[0] == "edgescreen":
            commands.append(words)
    return commands


def _shape(words: list[str]) -> tuple[tuple[str, ...], frozenset[str]]:
    """A command's subcommand (its words up to the first file) and its option names."""
    head = []
    for w in words[1:]:
        if w.startswith("-") or "." in w or "/" in w:
            break
        head.append(w)
    return tuple(head), frozenset(w for w in words if w.startswith("-"))


def test_the_sample_goes_on_into_year_two_with_the_readmes_commands(tmp_path, capsys):
    """The second year: the README's commands (run by the script, as written), the measures and their
    gaps, the 2020 survey against the register (the households that moved away, the heads that
    changed), the exits (one kept by its meeting) and the income over time."""
    out = tmp_path / "walk"
    module = _script()
    module.main(["-o", str(out), "--villages", "3", "--year-two"])
    said = capsys.readouterr().out
    ran = [_shape(line[2:].split()) for line in said.splitlines() if line.startswith("$ edgescreen ")]
    for words in _readme_year_two():
        assert _shape(words) in ran, words
    assert "2020调查表.xlsx" in " ".join(" ".join(w) for w in _readme_year_two())

    # The measures: one household of the second village without one, one measure in the first that
    # does not fit; the others fitted to their difficulty.
    assert "华家镇五家子村:在册 11 户,逾期无措施 1 户,措施与困难不符 0 户" in said
    assert "华家镇东升村:在册 4 户,逾期无措施 0 户,措施与困难不符 1 户" in said

    # 2020 against the register: every household of 2019's register has its change.
    ledger = read_ledger(out / "筛查2020" / "decisions.csv")
    book = openpyxl.load_workbook(out / "筛查2020" / "changes.xlsx")
    rows = [[c.value for c in r] for r in book["变动名单"].iter_rows(min_row=3)]
    listed = [r for r in rows if isinstance(r[0], int)]
    before = [r for r in listed if r[6] != "新识别候选"]
    assert len(before) == 34  # the 花名册 of 2019 on these three villages
    missing = [r for r in before if r[6] == "本年未调查"]
    assert len(missing) >= 3  # each village's second candidate moved away (and any drawn at random)
    assert all(r[9] is None and "漏项" in r[11] for r in missing)
    changed = [r for r in before if "户主变更" in (r[11] or "")]
    assert len(changed) >= 2 and all("按户编号对应" in r[11] for r in changed)
    # The ledger's column agrees with changes.xlsx for everyone surveyed.
    surveyed = {(r[4], r[5]): r[6] for r in listed if r[6] != "本年未调查"}
    ledger["masked"] = mask_id(ledger["head_id"]).to_numpy()
    words = {(n, m): c for n, m, c in zip(ledger["head_name"], ledger["masked"], ledger["register_change"].fillna(""))}
    assert {k: words[k] for k in surveyed} == surveyed

    # The exits: those proposed to leave, but the one a meeting kept, are off the
    # register; the 花名册 of 2020 holds the rest.
    exits = {(r[4], r[5]) for r in before if r[6] == "拟退出"}
    assert len(exits) >= 2
    register = openpyxl.load_workbook(out / "花名册-2020.xlsx")["花名册"]
    on = {(r[2].value, r[3].value) for r in register.iter_rows(min_row=4) if isinstance(r[0].value, int)}
    assert len(exits - on) == len(exits) - 1 and len(on) == 34 - len(exits) + 1
    # The income over time: every household of the register, a chart per township.
    trend = openpyxl.load_workbook(out / "收入变化.xlsx")
    assert sum(1 for r in trend["各户"].iter_rows(min_row=4) if isinstance(r[0].value, int)) == 34
    assert len(trend["图表"]._charts) == 1  # the three villages are of 华家镇
