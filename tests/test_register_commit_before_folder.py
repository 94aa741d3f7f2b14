"""screen --register on a disk that fills up at the register's commit (an outside try on a 3 MB tmpfs):
the output folder was already in place, the register unchanged, the message saying only that the
register was not changed; run again as told, the folder was refused as existing. The round is now
committed before the folder is put in place: a commit that fails leaves no folder, and the run again
works."""

from __future__ import annotations

import sqlite3

from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from edgescreen.cli import app
from edgescreen.register import db

runner = CliRunner()


def test_a_commit_that_fails_leaves_no_output_folder_and_the_run_again_works(tmp_path, monkeypatch):
    survey = write_workbook(tmp_path / "合隆镇.xlsx", [
        household(**{"户主身份证号": make_id("19700101", serial=500 + 2 * i), "户主姓名": f"户{i}"}) for i in range(3)])
    register = tmp_path / "农安县.db"
    args = ["screen", str(survey), "-o", str(tmp_path / "out"), "--register", str(register), "--date", "2019-12-02"]
    first = runner.invoke(app, args, env={"COLUMNS": "400"})
    assert first.exit_code == 0, first.output
    second = [*args[:3], str(tmp_path / "out2020"), *args[4:6], "--year", "2020", "--date", "2020-12-01",
              "--leave-unfinished"]
    committed = db.Register._commit

    def full(self):
        raise sqlite3.OperationalError("database or disk is full")
    monkeypatch.setattr(db.Register, "_commit", full)
    refused = runner.invoke(app, second, env={"COLUMNS": "400"})
    assert refused.exit_code == 2, refused.output
    assert "磁盘已满" in refused.output and "登记簿没有改动" in refused.output, refused.output
    assert not (tmp_path / "out2020").exists(), "a folder of a round the register does not hold"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out2020")], list(tmp_path.iterdir())
    with sqlite3.connect(register) as con:
        assert con.execute("SELECT COUNT(*) FROM rounds").fetchone()[0] == 1
    monkeypatch.setattr(db.Register, "_commit", committed)
    again = runner.invoke(app, second, env={"COLUMNS": "400"})
    assert again.exit_code == 0, again.output
    assert (tmp_path / "out2020" / "decisions.csv").exists()
    with sqlite3.connect(register) as con:
        assert con.execute("SELECT COUNT(*) FROM rounds").fetchone()[0] == 2
