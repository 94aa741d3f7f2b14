"""The sample county walks the whole procedure (sample_data/procedure.py, issue 15 item 4), here on its
first three villages: the 花名册 holds, household by household, every first-pass candidate of those
villages the clerks did not turn down, with its figures from the screen's ledger; those turned down
are in 进度.xlsx with the step and the reason; the other villages still wait at the meeting."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import openpyxl
import pandas as pd

from edgescreen.outputs.ledger import read_ledger
from edgescreen.outputs.privacy import mask_id

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
    villages = [("华家镇", "东升村"), ("华家镇", "五家子村"), ("华家镇", "八里营村")]  # the first three files
    candidates = ledger[(ledger["status"] == "candidate")
                        & pd.Series(list(zip(ledger["township"], ledger["village"]))).isin(villages).to_numpy()].copy()
    candidates["masked"] = mask_id(candidates["head_id"]).to_numpy()
    candidates["who"] = candidates["head_name"] + " " + candidates["masked"]
    candidates["per_capita"] = candidates["per_capita_income"].astype(float)
    candidates["order"] = [villages.index((t, v)) for t, v in zip(candidates["township"], candidates["village"])]
    expected = candidates[~candidates["who"].isin(left)].sort_values(["order", "per_capita"], kind="stable")
    assert set(left) <= set(candidates["who"])

    book = openpyxl.load_workbook(out / "花名册.xlsx")
    rows = [[c.value for c in r] for r in book["花名册"].iter_rows(min_row=4)]
    listed = [r for r in rows if isinstance(r[0], int)]
    assert len(listed) == len(expected) > 20
    for row, (_, want) in zip(listed, expected.iterrows()):
        seq, group, name, masked, members, residents, per_capita, difficulty, entered, measures, person, gap = row
        assert (name, masked) == (want["head_name"], want["masked"])
        assert residents == int(want["residents"]) and per_capita == want["per_capita"]
        assert entered == "2020年1月8日" and measures is None and person is None
    headings = [r[0] for r in rows if isinstance(r[0], str) and "户" in r[0]]
    assert headings[0] == f"华家镇(共 {len(expected)} 户)"
    assert headings[1].startswith(f"    东升村({(expected['order'] == 0).sum()} 户)")

    progress_book = openpyxl.load_workbook(out / "进度.xlsx")
    removed = progress_book["退出名单"]
    found = {f"{r[4].value} {r[5].value}": (r[6].value, r[7].value) for r in removed.iter_rows(min_row=3)}
    assert found == left
    progress = progress_book["各村进度"]
    states = {r[1].value: r[-3].value for r in progress.iter_rows(min_row=5)}
    assert states["东升村"].startswith("已在册") and states["腰站村"] == "「民主评议」文书已发出,待登记"
