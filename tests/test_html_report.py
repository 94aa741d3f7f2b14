"""report.html: one self-contained page (no request leaves it), escaped, with the overview, the
per-capita histogram and both bounds, counts per status and per village, and a working filter box.
Where Chromium is installed it opens the page headless behind a proxy that records every request."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import socket
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from survey_builders import household, make_id, write_workbook
from edgescreen import screen
from edgescreen.outputs.quality import quality_report
from edgescreen.catalogue import label
from edgescreen.outputs.report_html import (
    RANGE_COLOURS,
    STATUS_COLOURS,
    histogram,
    nice_step,
    render_html,
    write_html_report,
)

AS_OF = dt.date(2020, 1, 1)
_serial = iter(range(701, 999, 2))
# No brackets: a name with a note in brackets is a warning of its own (name_holds_more), not this test's.
EVIL = '<script>alert`"x"`</script>'


def hh(township="合隆镇", village="前岗村", **overrides):
    return household(**{"乡(镇)": township, "行政村": village, "户主身份证号": make_id("19700101", serial=next(_serial)),
                        **overrides})


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    rows = [
        hh(),                                                    # candidate 3333.33
        hh(**{"工资性收入": 9000}),                               # below_line 3000
        hh(**{"工资性收入": 30000}),                              # above_limit 10000
        hh(**{"工资性收入": 90000}),                              # 30000: beyond the drawn range
        hh(**{"家庭经营费用支出": 20000}),                         # negative: warning, below 0
        hh(**{"家庭常住人口数": 0}),                               # invalid, not computable
        hh("烧锅镇", "长山村", **{"户主姓名": EVIL, "联系电话": "12345"}),
        hh("烧锅镇", "长山村", **{"是否低保户": "是", "转移性收入": 3000, "家庭总收入": 13000}),
    ]
    folder = tmp_path_factory.mktemp("html")
    result = screen([write_workbook(folder / "survey.xlsx", rows)], as_of=AS_OF)
    report = quality_report(result, "zh")
    path = write_html_report(report, folder / "report.html")
    return path, path.read_text(encoding="utf-8"), report


def test_no_external_reference_of_any_kind(page):
    _, html, _ = page
    assert not re.search(r"""(?:src|href|action|poster|data|xlink:href)\s*=\s*["']?\s*(?:[a-z]+:)?//""", html, re.I)
    assert not re.search(r"https?://", html), "not even a URL in the text"
    assert not re.search(r"<(?:link|img|iframe|object|embed|audio|video|source|base)\b", html, re.I)
    assert "@import" not in html and "url(" not in html
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert set(scripts) == {"<script>"}, "inline scripts only, no src"
    assert "default-src 'none'" in html, "a CSP forbids any fetch even if something slipped in"


def test_input_text_is_escaped(page):
    _, html, _ = page
    assert EVIL not in html
    assert "&lt;script&gt;alert`&#34;x&#34;`&lt;/script&gt;" in html
    # the issue list's cells are escaped before the template, not by it: the head name is there, escaped
    issue_list = html[html.index('id="issue-list"'):]
    assert "<td>&lt;script&gt;alert`&#34;x&#34;`&lt;/script&gt;</td>" in issue_list


def test_overview_statuses_villages_and_issues(page):
    _, html, report = page
    for key in ("households", "errors", "warnings", "households_with_errors"):
        assert f"<b>{report.counts[key]}</b>" in html
    # counts per status: one bar each, with the count
    bars = dict(re.findall(r'<g class="status" data-status="(\w+)">.*?<title>[^<]*: (\d+)</title>', html, re.S))
    assert {k: int(v) for k, v in bars.items()} == {k: int(v) for k, v in report.statuses.items()}
    assert (bars["candidate"], bars["below_line"], bars["excluded_dibao"], bars["invalid"]) == ("2", "2", "1", "1")
    # per village: every village, most errors first
    section = html[html.index('id="villages"'):html.index('id="issue-list"')]
    assert section.index("前岗村") < section.index("长山村")
    # the issue list: one row per issue, filter controls present
    rows = re.findall(r'<tr class="(error|warning)" data-sev="\1" data-code="(\w+)">', html)
    assert [c for _, c in rows] == ["per_capita_implausible", "residents_not_positive", "phone_malformed"]
    assert [sev for sev, _ in rows] == ["warning", "error", "warning"]
    assert 'id="q"' in html and 'id="sev"' in html and 'id="code"' in html
    # the file facts
    assert "xlsx 文件,读入 8 户" in html


def test_histogram_draws_both_bounds(page):
    _, html, report = page
    lines = re.findall(r'<g class="bound" data-bound="(\w+)">\s*<line x1="([\d.]+)"', html)
    assert [k for k, _ in lines] == ["lower_bound", "upper_bound"]
    assert float(lines[0][1]) < float(lines[1][1])
    assert "下限 3,218 元" in html and "上限 4,000 元" in html


@pytest.mark.parametrize("peak", [1, 2, 3, 7, 12, 13, 40, 230])
def test_the_count_axis_is_labelled_by_distinct_whole_numbers(peak):
    """A village of six households drew its axis 0, 0, 1, 1, 2 (steps of 0.5 shown as whole numbers);
    each label is now a whole count, once, at its own height."""
    h = histogram([3500_00] * peak + [8000_00], 3218, 4000)
    labels = [t["label"] for t in h["yticks"]]
    assert len(set(labels)) == len(labels) and labels[0] == "0", labels
    steps = {int(b) - int(a) for a, b in zip(labels, labels[1:])}
    assert len(steps) == 1 and int(labels[-1]) >= peak, labels


def test_histogram_geometry():
    fen = [-100_00, 0, 3000_00, 3218_00, 3218_01, 3999_99, 4000_00, 11999_99, 12000_00, 50000_00]
    h = histogram(fen, 3218, 4000)
    assert h["n"] == 10 and h["under"] == 1 and h["over"] == 2
    titles = [b["title"] for b in h["bars"]]
    counts = [int(re.search(r":(\d+) 户$", t).group(1)) for t in titles]
    assert sum(counts) == 10
    lower, upper = h["lines"]
    width = (h["right"] - h["left"]) / (h["xticks"][-1]["x"] - h["xticks"][0]["x"])
    assert lower["x"] < upper["x"] and width > 0
    # the line sits where 3218 is on the axis: between the ticks for 2000 and 4000
    ticks = {t["label"]: t["x"] for t in h["xticks"]}
    assert ticks["2,000"] < lower["x"] < ticks["4,000"] == pytest.approx(upper["x"])
    # bars in the band are one colour, below it another, above it a third
    band = [b for b in h["bars"] if b["title"].startswith("3,218–3,500")]
    assert band and band[0]["fill"] == RANGE_COLOURS["band"]
    no_lower = histogram(fen, None, 4000)
    assert [line["key"] for line in no_lower["lines"]] == ["upper_bound"]
    assert nice_step(12000, 48) == 250 and nice_step(7, 5) == 2


def _bar(h, lo):
    return next(b for b in h["bars"] if b["lo"] == lo)


@pytest.mark.parametrize("lower, upper", [(3218, 4000), (3000, 4000), (4000, 6000), (3218.5, 3400), (None, 4000)])
def test_histogram_bins_end_on_each_bound_and_are_coloured_by_where_they_lie(lower, upper):
    """Before: 250-yuan bins from 0, so the 3,000–3,250 bar straddled the lower bound 3,218 and was
    coloured as below the line although most of its households lay above it."""
    fen = [0, 3000_00, 3217_99, 3218_00, 3218_01, 3399_99, 3999_99, 4000_00, 5999_99, 6000_00, 6000_01]
    h = histogram(fen, lower, upper)
    bins = [b for b in h["bars"] if b["lo"] is not None and b["hi"] is not None]
    edges = {b["lo"] for b in bins} | {b["hi"] for b in bins}
    assert {upper, lower} - {None} <= edges, "each bound is a bin edge"
    for b in bins:
        assert b["lo"] < b["hi"]
        if lower is not None and b["hi"] <= lower:
            assert b["range"] == "below"
        elif b["hi"] <= upper:
            assert b["range"] == "band" and (lower is None or b["lo"] >= lower)
        else:
            assert b["range"] == "above" and b["lo"] >= upper
        assert b["fill"] == RANGE_COLOURS[b["range"]]
    # as classify decides: on the lower bound is below the line, on the upper bound at the limit
    below = [f for f in fen if lower is not None and f <= round(lower * 100)]
    above = [f for f in fen if f >= upper * 100]
    by_range = {r: sum(b["n"] for b in h["bars"] if b["range"] == r) for r in ("below", "band", "above")}
    assert by_range == h["ranges"] == {"below": len(below), "above": len(above),
                                       "band": len(fen) - len(below) - len(above)}
    if lower == 3218:
        assert _bar(h, 3000)["hi"] == 3218 and _bar(h, 3000)["n"] == 3    # 3000.00, 3217.99, 3218.00
        assert _bar(h, 3218)["hi"] == 3500 and _bar(h, 3218)["n"] == 2    # 3218.01, 3399.99 (no 32-yuan sliver)
    # no bin is much narrower than the rest, save one that a bound cuts off
    widths = sorted(b["hi"] - b["lo"] for b in bins)
    assert widths[-1] <= 2 * widths[len(widths) // 2]
    assert all(b["fill"] not in STATUS_COLOURS.values() for b in h["bars"]), "a bar is no status"


def test_histogram_counts_every_household_and_says_so(tmp_path):
    """Before: the bars were coloured and legended as statuses (贫困边缘户候选 in green) but counted
    every household by income, a 低保户 or one with an error too: the green bars added up to more than
    the status chart's candidates. Tooltips read "8 户数"."""
    rows = [hh(), hh(),                                          # candidates, 3333.33
            hh(**{"是否低保户": "是"}),                            # excluded, 3333.33 (in the band)
            hh(**{"户主姓名": ""}),                                # invalid (blank name), 3333.33
            hh(**{"工资性收入": 30000})]                           # above_limit 10000
    result = screen([write_workbook(tmp_path / "s.xlsx", rows)], as_of=AS_OF)
    statuses = result.households["status"].value_counts().to_dict()
    assert statuses == {"candidate": 2, "excluded_dibao": 1, "invalid": 1, "above_limit": 1}
    html = render_html(quality_report(result, "zh"))
    start = html.index('<section id="histogram">')
    section = html[start:html.index("</section>", start)]
    bars = re.findall(r'<rect data-range="(\w+)"[^>]*fill="(#\w+)"><title>([^<]*)</title>', section)
    in_band = [int(re.search(r":(\d+) 户$", t).group(1)) for r, _, t in bars if r == "band"]
    assert sum(in_band) == 4, "the band's bars count all four with an income in it, not only candidates"
    assert all(fill not in STATUS_COLOURS.values() for _, fill, _ in bars)
    assert not any("户数" in t for _, _, t in bars) and any(t.endswith("元:4 户") for _, _, t in bars)
    legend = re.findall(r'<span data-range="(\w+)"><i[^>]*></i>([^<]*)</span>', section)
    assert legend == [("below", "不高于下限 3,218 元"), ("band", "高于下限 3,218 元、低于上限 4,000 元"),
                      ("above", "不低于上限 4,000 元")]
    chart = section[:section.index('id="histogram-note"')]
    for status in ("candidate", "below_line", "above_limit"):
        assert label(status, "zh") not in chart, "no status names the bars"
    note = re.search(r'<p class="note" id="histogram-note">([^<]*)</p>', section).group(1)
    assert "算得出人均纯收入的 5 户全部计入" in note and "已建档立卡户共 1 户和数据有误的 1 户" in note
    assert "两条竖线之间有 4 户,其中贫困边缘户候选 2 户" in note and "不是认定结果" in note
    english = render_html(quality_report(result, "en"))
    assert "4 households lie between the two lines, 2 of them candidates" in english
    assert "yuan: 4 households</title>" in english


def test_english_page(page):
    _, _, report = page
    html = render_html(quality_report(report.result, "en"))
    assert '<html lang="en">' in html and "Data-quality report" in html and "lower bound 3,218" in html


def test_a_clean_run_says_so(tmp_path):
    result = screen([write_workbook(tmp_path / "s.xlsx", [hh()])], as_of=AS_OF)
    html = render_html(quality_report(result, "zh"))
    # No filter box to drive: only the script that opens the files' facts for printing.
    assert 'id="no-issues"' in html and "data-filter-ready" not in html and html.count("<script>") == 1


def test_the_template_ships_in_the_wheel(tmp_path):
    repo = Path(__file__).resolve().parents[1]
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp_path), str(repo)], capture_output=True, text=True)
    assert build.returncode == 0, build.stdout + build.stderr
    with zipfile.ZipFile(next(tmp_path.glob("edgescreen-*.whl"))) as zf:
        assert "edgescreen/templates/report.html.j2" in zf.namelist()


# ---------------------------------------------------------------------------------------------
# Headless Chromium (Debian's chromium package). Three independent witnesses that the page fetches
# nothing: a proxy that records every request Chromium sends, Chromium's own log of every URL request
# (--enable-logging --v=1), and the DevTools protocol's record of the page's requests.

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
         "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,OptimizationGuideOnDeviceModel"]
# Chromium itself still calls its own services (update.googleapis.com, accounts.google.com) whatever
# the flags; those requests are the browser's, never the page's, and are the only ones allowed.
BROWSER_SERVICES = re.compile(r"(?:^|\.)(?:google\.com|googleapis\.com|gvt1\.com|gstatic\.com)$")


def _host(request_line: str) -> str:
    """'CONNECT a.b:443 HTTP/1.1' or 'GET http://a.b/x HTTP/1.1' → 'a.b'."""
    target = request_line.split(" ")[1] if " " in request_line else request_line
    return re.sub(r"^[a-z]+://", "", target).split("/")[0].split(":")[0]


EMPTY_CONNECTION = "(connection, nothing sent)"


class RequestTrap:
    """A proxy that answers nothing and records the first line of every request sent to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.requests: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(5)
                try:
                    data = conn.recv(4096)
                except OSError:
                    data = b""
                self.requests.append(data.split(b"\r\n", 1)[0].decode("latin-1") or EMPTY_CONNECTION)

    def page_requests(self) -> list[str]:
        """What was asked of the network. A connection that carried not one byte (Chromium opens
        spare sockets to its proxy ahead of need, and sometimes closes them unused) asked nothing."""
        return [r for r in self.requests if r != EMPTY_CONNECTION and not BROWSER_SERVICES.search(_host(r))]

    def close(self):
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def trap():
    t = RequestTrap()
    yield t
    t.close()


def chromium(url: str, profile: Path, trap: RequestTrap, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--proxy-server=127.0.0.1:{trap.port}",
         "--proxy-bypass-list=<-loopback>", "--enable-logging=stderr", "--v=1", "--virtual-time-budget=3000",
         *extra, url],
        capture_output=True, text=True, timeout=120)


def logged_urls(stderr: str) -> list[str]:
    return re.findall(r"NotifyBeforeURLRequest: (\S+)", stderr)


class DevTools:
    """Chromium driven over --remote-debugging-pipe (fd 3 in, fd 4 out, messages end in NUL)."""

    def __init__(self, profile: Path, proxy_port: int):
        import json
        import os
        import queue

        self._json, self._queue = json, queue.Queue()
        import fcntl

        def high(fd: int) -> int:  # moved above 4 so that dup2 onto 3 and 4 always makes a new copy
            moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
            os.close(fd)
            return moved

        # Every end closes on exec except the copies dup2 puts on 3 and 4 for Chromium.
        r_cmd, w_cmd = map(high, os.pipe())
        r_out, w_out = map(high, os.pipe())

        def on_3_and_4():
            os.dup2(r_cmd, 3)
            os.dup2(w_out, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--proxy-server=127.0.0.1:{proxy_port}",
             "--proxy-bypass-list=<-loopback>", "--remote-debugging-pipe", "about:blank"],
            preexec_fn=on_3_and_4, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(r_cmd)
        os.close(w_out)
        self._out = os.fdopen(w_cmd, "wb", buffering=0)
        self._in = os.fdopen(r_out, "rb", buffering=0)
        self.events: list[dict] = []
        self._id = 0
        threading.Thread(target=self._read, daemon=True).start()
        target = next(t for t in self.send("Target.getTargets")["targetInfos"] if t["type"] == "page")
        self.session = self.send("Target.attachToTarget", targetId=target["targetId"], flatten=True)["sessionId"]

    def _read(self):
        buffer = b""
        while chunk := self._in.read(65536):
            buffer += chunk
            while b"\0" in buffer:
                message, buffer = buffer.split(b"\0", 1)
                self._queue.put(self._json.loads(message))
        self._queue.put(None)

    def _next(self, deadline: float) -> dict:
        import time

        message = self._queue.get(timeout=max(0.1, deadline - time.monotonic()))
        if message is None:
            raise RuntimeError("Chromium closed the pipe")
        return message

    def send(self, method: str, session: str | None = None, **params):
        import time

        self._id += 1
        message = {"id": self._id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self._out.write(self._json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + 60
        while True:
            reply = self._next(deadline)
            if reply.get("id") == self._id:
                assert "error" not in reply, reply
                return reply.get("result", {})
            self.events.append(reply)

    def page(self, method: str, **params):
        return self.send(method, self.session, **params)

    def wait_for(self, event: str):
        import time

        deadline = time.monotonic() + 60
        while not any(e.get("method") == event for e in self.events):
            self.events.append(self._next(deadline))

    def evaluate(self, expression: str):
        result = self.page("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        assert "exceptionDetails" not in result, result
        return result["result"]["value"]

    def close(self):
        try:
            self.send("Browser.close")
        finally:
            self.proc.wait(timeout=30)


@needs_chromium
def test_the_witnesses_catch_a_page_that_fetches(tmp_path, trap):
    """Positive control: a page with one remote image is seen by the trap, the log and DevTools."""
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<!DOCTYPE html><html><body><img src="http://example.invalid/x.png"></body></html>')
    done = chromium(leaky.as_uri(), tmp_path / "profile", trap, "--dump-dom")
    assert any("example.invalid" in r for r in trap.page_requests()), trap.requests
    assert "http://example.invalid/x.png" in logged_urls(done.stderr)
    tools = DevTools(tmp_path / "profile2", trap.port)
    try:
        tools.page("Network.enable")
        tools.page("Page.enable")
        tools.page("Page.navigate", url=leaky.as_uri())
        tools.wait_for("Page.loadEventFired")
    finally:
        tools.close()
    urls = [e["params"]["request"]["url"] for e in tools.events if e.get("method") == "Network.requestWillBeSent"]
    assert "http://example.invalid/x.png" in urls


@needs_chromium
def test_chromium_opens_the_report_and_makes_no_request(page, tmp_path, trap):
    path, _, report = page
    done = chromium(path.as_uri(), tmp_path / "profile", trap, "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    assert trap.page_requests() == [], trap.requests
    assert [u for u in logged_urls(done.stderr)
            if not u.startswith("file:") and not BROWSER_SERVICES.search(_host("X " + u))] == []
    dom = done.stdout
    assert 'data-filter-ready="1"' in dom, "the inline script ran"
    assert "数据质量报告" in dom and "人均纯收入分布" in dom and 'data-bound="upper_bound"' in dom
    body = dom.split('id="issues"')[1]
    rows = re.findall(r'<tr class="(?:error|warning)"[^>]*>', body)
    assert len(rows) == len(report.issues) and not [r for r in rows if "hidden" in r], "no filter: all shown"


@needs_chromium
def test_the_page_requests_nothing_but_itself_and_its_filter_box_works(page, tmp_path, trap):
    """DevTools: the page's only request is its own file; typing in the filter box and choosing a
    severity hide the other rows; no script error."""
    path, _, report = page
    tools = DevTools(tmp_path / "profile", trap.port)
    try:
        for domain in ("Network", "Page", "Runtime"):
            tools.page(f"{domain}.enable")
        tools.page("Page.navigate", url=path.as_uri())
        tools.wait_for("Page.loadEventFired")
        visible = 'document.querySelectorAll("#issues tbody tr:not([hidden])").length'
        assert tools.evaluate(visible) == len(report.issues)
        typed = tools.evaluate('var q = document.getElementById("q"); q.value = "长山村"; '
                               'q.dispatchEvent(new Event("input")); '
                               f'[{visible}, document.getElementById("shown").textContent]')
        assert typed == [1, "1"]
        chosen = tools.evaluate('q.value = ""; q.dispatchEvent(new Event("input")); '
                                'var s = document.getElementById("sev"); s.value = "warning"; '
                                f's.dispatchEvent(new Event("change")); {visible}')
        assert chosen == int((report.issues["severity"] == "warning").sum()) == 2
        # The village link in the table filters the list too.
        linked = tools.evaluate('s.value = ""; location.hash = "#q=" + encodeURIComponent("前岗村"); '
                                'new Promise(r => setTimeout(r, 200)).then(() => ' + visible + ')')
    finally:
        tools.close()
    assert linked == int((report.issues["village"] == "前岗村").sum()) == 2
    requests = [e["params"]["request"]["url"] for e in tools.events if e.get("method") == "Network.requestWillBeSent"]
    assert requests == [path.as_uri()]
    assert not [e for e in tools.events if e.get("method") == "Runtime.exceptionThrown"]
    assert trap.page_requests() == [], trap.requests


@needs_chromium
def test_a_link_with_a_filter_opens_filtered(page, tmp_path, trap):
    """report.html#q=长山村 (or #sev=error) opens with the filter box filled."""
    path, _, report = page
    dom = chromium(path.as_uri() + "#q=%E9%95%BF%E5%B1%B1%E6%9D%91", tmp_path / "p1", trap, "--dump-dom").stdout
    rows = re.findall(r'<tr class="(?:error|warning)"[^>]*>', dom.split('id="issues"')[1])
    assert len(rows) == len(report.issues) and len([r for r in rows if "hidden" not in r]) == 1
    assert '<b id="shown">1</b>' in dom
    dom = chromium(path.as_uri() + "#sev=error", tmp_path / "p2", trap, "--dump-dom").stdout
    rows = re.findall(r'<tr class="(?:error|warning)"[^>]*>', dom.split('id="issues"')[1])
    assert len([r for r in rows if "hidden" not in r]) == int((report.issues["severity"] == "error").sum()) == 1
    assert trap.page_requests() == []


@needs_chromium
def test_screenshot_of_the_sample_report(tmp_path, trap):
    """The sample's report renders to pixels; the picture is kept in the temp folder to look at."""
    import tempfile

    sample = Path(__file__).resolve().parents[1] / "sample_data" / "changchun-sample.xlsx"
    result = screen([sample], as_of=AS_OF)
    path = write_html_report(quality_report(result, "zh"), tmp_path / "report.html")
    shot = tmp_path / "report.png"
    done = chromium(path.as_uri(), tmp_path / "profile", trap, f"--screenshot={shot}", "--window-size=1280,2000")
    assert shot.exists() and shot.stat().st_size > 20_000, done.stderr[-2000:]
    assert trap.page_requests() == []
    shutil.copy(shot, Path(tempfile.gettempdir()) / "edgescreen-report.png")


# ---------------------------------------------------------------------------------------------
# Issue 13 item 7: which village must fix what, on the first screen of a 1280×800 window.


def _flooded_rows(n_villages: int = 30, per_village: int = 25) -> list[dict]:
    """Villages whose 财产性收入 was left blank throughout (a systemic finding), with ID errors."""
    import pandas as pd

    born = pd.date_range("1950-01-01", periods=n_villages * per_village, freq="5D").strftime("%Y%m%d")
    rows = []
    for i, day in enumerate(born):
        village = f"{'东西南北'[i % 4]}{i // per_village}村"
        pid = make_id(day, serial=1 + 2 * (i % 400))
        rows.append(household(**{"乡(镇)": "合隆镇" if i % 2 else "烧锅镇", "行政村": village,
                                 "户主身份证号": pid[:17] if i % 9 == 0 else pid, "财产性收入": "",
                                 "家庭总收入": 10000}))
    return rows


def _open_in_a_1280_window(tools, page: Path) -> None:
    """The page loaded in a 1280×800 window, as a county office's screen shows it."""
    tools.page("Emulation.setDeviceMetricsOverride", width=1280, height=800, deviceScaleFactor=1, mobile=False)
    tools.page("Page.enable")
    tools.page("Page.navigate", url=page.as_uri())
    tools.wait_for("Page.loadEventFired")


@needs_chromium
def test_the_first_screen_answers_which_village_must_fix_what(tmp_path, trap):
    """At 1280×800: the verdict, the count cards and, right under them, the villages with what each
    must fix; the file facts folded away; no check with nothing found listed; no ID and no file name
    broken over two lines; the issue list within the window, its columns in Chinese. The screenshot is kept in the temp folder to look at."""
    import base64
    import tempfile

    long_name = "合隆镇2019年贫困边缘户入户登记汇总表-第二次修订稿-final-version.xlsx"
    rows = _flooded_rows()
    paths = [write_workbook(tmp_path / long_name, rows[:400]), write_workbook(tmp_path / "烧锅镇.xlsx", rows[400:])]
    result = screen(paths, as_of=AS_OF)
    page = write_html_report(quality_report(result, "zh"), tmp_path / "report.html")
    tools = DevTools(tmp_path / "profile", trap.port)
    try:
        _open_in_a_1280_window(tools, page)
        layout = tools.evaluate("""(() => {
            const box = (el) => el.getBoundingClientRect();
            const villages = document.getElementById("villages");
            const rows = villages.querySelectorAll("tbody tr");
            const lines = (el) => { const r = document.createRange(); r.selectNodeContents(el);
                                    return new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top))).size; };
            return {
                cards: box(document.getElementById("counts")).bottom,
                villages: box(villages).top,
                fifth_village: box(rows[4]).bottom,
                between: Array.from(document.querySelectorAll("body > *")).map(e => e.id || e.tagName),
                facts_open: document.getElementById("files").open,
                facts_top: box(document.getElementById("files")).top,
                broken: Array.from(document.querySelectorAll("td.where span.loc, span.file"))
                             .filter(el => el.textContent.trim() && lines(el) > 1).map(el => el.textContent),
                checked: Array.from(document.querySelectorAll("td.where")).length,
                files: Array.from(document.querySelectorAll("td.where span.file")).length,
                width: document.documentElement.scrollWidth,
                issues_right: box(document.getElementById("issues")).right,
                issue_headers: Array.from(document.querySelectorAll("#issues th")).map(th => th.textContent),
            };
        })()""")
        shot = tools.page("Page.captureScreenshot", format="png")
    finally:
        tools.close()
    (tmp_path / "first-screen.png").write_bytes(base64.b64decode(shot["data"]))
    shutil.copy(tmp_path / "first-screen.png", Path(tempfile.gettempdir()) / "edgescreen-report-1280x800.png")
    header = layout["between"]
    assert header.index("villages") == header.index("HEADER") + 1, "the villages come right under the cards"
    assert 0 < layout["villages"] - layout["cards"] < 60
    assert layout["fifth_village"] < 800, "the first villages and what they must fix are on the first screen"
    assert layout["facts_open"] is False and layout["facts_top"] > layout["villages"]
    assert layout["checked"] > 20 and layout["files"] > 20
    assert layout["broken"] == [], "an ID or a file name broke over two lines"
    # the issue list fits the window: the message is read whole, without scrolling sideways
    assert layout["issues_right"] <= 1280 and layout["width"] <= 1280, layout
    assert layout["issue_headers"] == ["位置", "乡(镇) 行政村", "户主姓名", "问题", "说明"]
    assert trap.page_requests() == []


def test_each_section_once(page):
    _, html, _ = page
    ids = re.findall(r'<section id="([\w-]+)"', html)
    assert len(ids) == len(set(ids)) and "by-code" in ids, ids


def test_checks_that_found_nothing_are_not_listed(page):
    _, html, report = page
    section = html[html.index('id="by-code"'):html.index('id="statuses"')]
    listed = re.findall(r'<a href="#code=(\w+)">', section)
    assert listed == [code for code, n in report.by_code["total"].items() if n]
    assert "id_region_unknown" not in section and len(listed) < len(report.by_code)


def test_the_status_charts_labels_have_room_in_english(page):
    """The status labels stand right-aligned left of the bars: the English ones (below the poverty
    line: refer for registered-poor identification) were cut at the page's left edge."""
    from edgescreen.catalogue import STATUSES

    english = render_html(quality_report(page[2].result, "en"))
    section = english[english.index('<section id="statuses">'):english.index('<section id="histogram">')]
    right_edge = min(float(x) for x in re.findall(r'<text x="([0-9.]+)"[^>]*text-anchor="end"', section))
    longest = max(len(label(s, "en")) for s in STATUSES)
    assert right_edge >= 6.5 * longest


def test_the_bars_beyond_the_range_do_not_set_the_scale():
    """A county's many households over 12,000 set the y scale and flattened every other bar (outside
    tester, 2026-12-02): the scale is the drawn range's; the bar beyond is cut at the top, its count
    written on it."""
    fen = [350_000] * 40 + [380_000] * 25 + [2_000_000] * 600
    hist = histogram(fen, 3218, 4000)
    over = next(b for b in hist["bars"] if b["lo"] is not None and b["hi"] is None)
    inside = [b for b in hist["bars"] if b["hi"] is not None and b["lo"] is not None]
    assert over["n"] == 600 and over["cut"]
    assert max(b["n"] for b in inside) == 40
    assert max(b["h"] for b in inside) > 0.6 * (hist["base"] - hist["top"])  # not flattened
    assert over["h"] <= hist["base"] - hist["top"] + 0.01


def test_histogram_note_counts_whom_it_draws(page):
    """The households with a per-capita income, the excluded and invalid among them, the others apart."""
    _, html, report = page
    said = "".join(html.split())
    assert "算得出人均纯收入的7户全部计入,其中包括低保户、特困人员、已建档立卡户共1户和数据有误的0户;另有1户算不出" in said


@needs_chromium
def test_the_members_issue_list_fits_the_window_in_the_issue_lists_columns(tmp_path, trap):
    """The sample's members (家庭成员) have issues of their own. Their table printed all 13 columns of
    quality.xlsx (file, code, header …) and ran past a 1280-pixel window; it now has the issue list's
    five, the member's name where a household's list has its head's."""
    sample = Path(__file__).resolve().parents[1] / "sample_data" / "changchun-sample.xlsx"
    result = screen([sample], as_of=AS_OF)
    page = write_html_report(quality_report(result, "zh"), tmp_path / "report.html")
    tools = DevTools(tmp_path / "profile", trap.port)
    try:
        _open_in_a_1280_window(tools, page)
        layout = tools.evaluate("""(() => {
            const table = document.getElementById("member-issue-list");
            return {
                right: table.getBoundingClientRect().right,
                headers: Array.from(table.querySelectorAll("th")).map(th => th.textContent),
                rows: table.querySelectorAll("tbody tr").length,
                first: Array.from(table.querySelectorAll("tbody tr")[0].cells).map(td => td.textContent.trim()),
            };
        })()""")
    finally:
        tools.close()
    assert layout["headers"] == ["位置", "乡(镇) 行政村", "姓名", "问题", "说明"]
    assert layout["rows"] == len(result.members.issues(result.households, "zh")) > 0
    assert layout["right"] <= 1280, layout
    where, place, name, problem, message = layout["first"]
    assert where == "家庭成员 D5266" and place == "合隆镇 前岗村" and name == "孙立春", layout["first"]
    assert problem.startswith("错误 成员找不到所属农户") and "220122019999" in message, layout["first"]
    assert trap.page_requests() == []


def test_the_run_and_the_files_read_print_open_on_a4(page):
    """On paper "(点击展开)" over nothing said nothing (an outside try printed 53 Letter pages with the
    files' facts folded away): the page is A4, and printing opens the section and drops the hint."""
    _, html, _ = page
    assert re.search(r"@page\s*\{\s*size:\s*A4", html)
    assert '<summary>运行信息和文件情况<span class="click">(点击展开)</span></summary>' in html
    assert "details#files summary .click { display: none; }" in html.split("@media print")[1].split("</style>")[0]
    script = html.split('<details id="files">')[1].split("</script>")[0]
    assert 'addEventListener("beforeprint"' in script and "files.open = true" in script


@needs_chromium
def test_chromium_prints_the_files_read(page, tmp_path, trap):
    path, _, _ = page
    pdf = tmp_path / "report.pdf"
    done = chromium(path.as_uri(), tmp_path / "profile", trap, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert pdf.exists(), done.stderr[-2000:]
    if not (shutil.which("pdftotext") and shutil.which("pdfinfo")):
        pytest.skip("poppler-utils is not installed")
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
    assert "运行信息和文件情况" in text and "点击展开" not in text
    assert "survey.xlsx: xlsx 文件,读入 8 户" in text
    assert "(A4)" in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
