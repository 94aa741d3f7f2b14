"""Everything edgescreen writes for people and programs to open: the rooms.

- write.py — the two output folders (a screen's, a check's), each written whole or not at all
- folder.py — the output folder reserved by one run, staging folders, atomic single files, the checks on
  an output target, OS errors said as which and where
- ledger.py — decisions.csv and issues.csv (UTF-8 with BOM for Excel and WPS; Chinese headers under
  zh, machine names under en) and read_ledger / read_issues, which read either header set back
- xlsx.py — opening a workbook, the cell formats, the table writer, print setup, row heights
- privacy.py — text that never runs as a formula; ID and phone masking
- places.py — villages in order, a file name per village, the rule line under every title
- villages.py, publicity.py, summary.py, quality.py, report_html.py, template.py — one output each
- manifest.py — run.json and check.json

Nothing is imported here: the command line loads this package's modules only when it writes.
"""
