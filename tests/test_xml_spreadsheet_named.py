"""An Excel 2003 XML spreadsheet a system exported as .xml, given by name: said as what it is and how to
save it (an outside try: "edgescreen 不读这种文件" and nothing of what to do), as the same file named .xls is."""

from __future__ import annotations

from typer.testing import CliRunner

from edgescreen.cli import app

runner = CliRunner()

SPREADSHEET_ML = """<?xml version="1.0" encoding="UTF-8"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="合隆镇"><Table>
  <Row><Cell><Data ss:Type="String">乡(镇)</Data></Cell><Cell><Data ss:Type="String">户主姓名</Data></Cell></Row>
 </Table></Worksheet>
</Workbook>
"""


def test_an_xml_spreadsheet_named_xml_is_told_to_be_saved_as_xlsx(tmp_path):
    given = tmp_path / "边缘户导出.xml"
    given.write_text(SPREADSHEET_ML, encoding="utf-8")
    result = runner.invoke(app, ["screen", str(given), "-o", str(tmp_path / "out")], env={"COLUMNS": "400"})
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "边缘户导出.xml:这是 Excel 2003 的 XML 表格" in said and "另存为 .xlsx" in said, said
    assert not (tmp_path / "out").exists()
    # Any other .xml is still a file type edgescreen does not read, said as such.
    other = tmp_path / "配置.xml"
    other.write_text('<?xml version="1.0"?><config/>', encoding="utf-8")
    result = runner.invoke(app, ["screen", str(other), "-o", str(tmp_path / "out")], env={"COLUMNS": "400"})
    assert result.exit_code == 2 and "不读这种文件" in result.output, result.output
