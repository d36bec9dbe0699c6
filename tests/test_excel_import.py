"""Excel template download and import, with real files made by the tests."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from indicators.models import Indicator, IndicatorValue, Plan
from projects.models import ProjectProgress

pytestmark = pytest.mark.django_db
CODE, YEAR = "div3-2021-2025", 2022


@pytest.fixture
def official(client, div3_official):
    client.force_login(div3_official)
    return div3_official


def template(client, code=CODE, year=YEAR):
    response = client.get(reverse("entry_template", args=[code, year]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return response.content


def fill(content, values=None, progress=None, edit=None):
    """Fill column J of 指标填报 by indicator id, and 项目进展 by project id; return xlsx bytes."""
    wb = load_workbook(io.BytesIO(content))
    ws = wb["指标填报"]
    for row in ws.iter_rows(min_row=5):
        key = row[0].value
        if values and key in values:
            text, *rest = values[key] if isinstance(values[key], tuple) else (values[key],)
            row[9].value = text
            if rest:
                row[10].value = rest[0]
    ps = wb["项目进展"]
    for row in ps.iter_rows(min_row=5):
        if progress and row[0].value in progress:
            status, investment, percent = progress[row[0].value]
            row[6].value, row[7].value, row[8].value = status, investment, percent
    if edit:
        edit(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(client, content, name="filled.xlsx", action="save", code=CODE, year=YEAR):
    return client.post(
        reverse("entry_import", args=[code, year]),
        {"file": SimpleUploadedFile(name, content), "action": action},
    )


def seq(s):
    return Indicator.objects.get(plan__code=CODE, seq=s, parent__isnull=True).pk


def saved():
    return IndicatorValue.objects.filter(indicator__plan__code=CODE, year=YEAR).count() + ProjectProgress.objects.count()


def test_the_template_has_protected_identifiers_an_input_column_and_choice_lists(client, official):
    wb = load_workbook(io.BytesIO(template(client)))
    ws = wb["指标填报"]
    assert [c.value for c in ws[4]][:10] == [
        "指标ID",
        "方面/领域",
        "序号",
        "指标名称",
        "区域",
        "单位",
        "本年目标",
        "基准值",
        "上年值",
        "本年值（填写）",
    ]
    assert (ws["B2"].value, ws["D2"].value) == (CODE, YEAR)
    assert ws.protection.sheet is True
    forest_row = next(r for r in ws.iter_rows(min_row=5) if r[2].value == "9")
    assert (forest_row[3].value, forest_row[6].value, forest_row[7].value) == ("森林覆盖率(%)", "13.97", "13.81")
    assert forest_row[3].protection.locked and not forest_row[9].protection.locked
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert '"未发生,发生"' in lists
    assert wb["项目进展"].max_row == 4 + 39


def test_a_correct_file_is_saved_as_drafts(client, official):
    first_project = wb_first_project(client)
    content = fill(
        template(client),
        {seq("9"): "13.98", seq("5"): ("38.5", "住建局统计"), seq("16"): "未发生"},
        {first_project: ("在建", 1200, 30)},
    )
    response = upload(client, content)
    assert response.status_code == 302
    values = dict(IndicatorValue.objects.filter(indicator__plan__code=CODE, year=YEAR).values_list("indicator__seq", "raw_text"))
    assert values == {"9": "13.98", "5": "38.5", "16": "未发生"}
    assert set(IndicatorValue.objects.filter(indicator__plan__code=CODE, year=YEAR).values_list("state", "origin")) == {
        ("draft", "import")
    }
    progress = ProjectProgress.objects.get(project_id=first_project, year=YEAR)
    assert (progress.status, progress.investment_completed_wan, progress.percent_complete) == ("ongoing", 1200, 30)
    assert IndicatorValue.history.filter(year=YEAR).first().history_change_reason == "import"


def wb_first_project(client):
    from projects.models import KeyProject

    return KeyProject.objects.get(plan__code=CODE, seq="1").pk


def test_an_import_can_submit(client, official):
    response = upload(client, fill(template(client), {seq("9"): "13.98"}), action="submit")
    assert response.status_code == 302
    assert IndicatorValue.objects.get(indicator_id=seq("9"), year=YEAR).state == "submitted"


def test_one_bad_cell_among_many_saves_nothing_and_names_the_cell(client, official):
    good = {seq(s): "50" for s in ("2", "4", "5", "8", "10", "14", "17")}
    content = fill(template(client), {**good, seq("9"): "十三点九"})
    response = upload(client, content)
    assert response.status_code == 400
    html = response.content.decode()
    row = 5 + list(Indicator.objects.filter(plan__code=CODE).order_by("position").values_list("pk", flat=True)).index(seq("9"))
    assert f"工作表“指标填报”第{row}行 J列（本年值）：“十三点九”不是数字" in html
    assert saved() == 0


def test_an_english_user_is_told_in_english_which_cell_is_wrong(client, official):
    content = fill(template(client), {seq("9"): "十三点九"})
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = upload(client, content)
    assert response.status_code == 400
    row = 5 + list(Indicator.objects.filter(plan__code=CODE).order_by("position").values_list("pk", flat=True)).index(seq("9"))
    assert (
        f"Sheet “指标填报”, row {row}, column J (this year&#x27;s value): “十三点九” is not a number" in response.content.decode()
    )
    assert saved() == 0


def test_a_file_of_another_plan_is_refused(client, official, db):
    from tests.conftest import _member

    other = _member("both", "official", "kashgar-2021-2025")
    client.force_login(other)
    kashgar_template = template(client, "kashgar-2021-2025")
    client.force_login(official)
    html = upload(client, kashgar_template).content.decode()
    assert "工作表“指标填报”第2行 B列：模板属于规划“kashgar-2021-2025”，不是本规划“div3-2021-2025”" in html
    assert saved() == 0


def test_a_file_of_another_year_is_refused(client, official):
    html = upload(client, template(client, year=2023)).content.decode()
    assert "第2行 D列：模板年份为“2023”，不是2022年" in html


def test_a_renamed_column_is_refused(client, official):
    def rename(wb):
        wb["指标填报"]["J4"] = "数值"

    html = upload(client, fill(template(client), {seq("9"): "13.98"}, edit=rename)).content.decode()
    assert "第4行 J列：表头应为“本年值（填写）”，实际为“数值”（表格布局被修改）" in html
    assert saved() == 0


def test_a_csv_renamed_to_xlsx_is_refused(client, official):
    csv = "指标ID,本年值\n1,13.98\n".encode()
    html = upload(client, csv).content.decode()
    assert "不是有效的 Excel 工作簿（.xlsx）：可能是 CSV 或其他格式改了扩展名" in html


def test_a_non_utf8_text_file_is_refused_cleanly(client, official):
    response = upload(client, "指标,数值\n森林覆盖率,13.98\n".encode("gbk"))
    assert response.status_code == 400


def test_a_truncated_file_is_refused(client, official):
    content = fill(template(client), {seq("9"): "13.98"})
    response = upload(client, content[: len(content) // 2])
    assert response.status_code == 400
    assert "文件" in response.content.decode() and saved() == 0


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_read(client, official):
    bomb = _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": b"<" + b" " * (30 * 1024 * 1024) + b"/>"})
    assert len(bomb) < 100 * 1024
    html = upload(client, bomb).content.decode()
    assert "压缩比异常" in html and "疑似压缩炸弹" in html


def test_an_xml_bomb_is_refused(client, official):
    content = template(client)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )
    members["xl/workbook.xml"] = (
        members["xl/workbook.xml"]
        .replace(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>', b"")
        .replace(b"<workbook", laughs.encode() + b"<workbook", 1)
    )
    response = upload(client, _zip(members))
    assert response.status_code == 400
    assert "不安全的 XML 内容" in response.content.decode()


def test_an_empty_workbook_is_refused(client, official):
    buffer = io.BytesIO()
    Workbook().save(buffer)
    html = upload(client, buffer.getvalue()).content.decode()
    assert "缺少工作表“指标填报”：请使用本平台下载的填报模板" in html


def test_an_oversized_file_is_refused(client, official, settings):
    settings.IMPORT_MAX_BYTES = 1024
    html = upload(client, template(client)).content.decode()
    assert "超过上限 1 KB" in html


def test_a_value_changed_since_the_template_was_downloaded_is_a_conflict(client, official):
    content = fill(template(client), {seq("9"): "13.98"})
    from indicators import services
    from indicators.models import Plan

    services.values_save(
        plan=Plan.objects.get(code=CODE), year=YEAR, user=official, rows=[services.RowInput(key=seq("9"), text="13.90")]
    )
    html = upload(client, content).content.decode()
    assert "改为“13.90”，您的修改未保存" in html
    assert IndicatorValue.objects.get(indicator_id=seq("9"), year=YEAR).raw_text == "13.90"


def test_a_template_of_another_version_is_refused_naming_the_cell(client, div3_official):
    from entry.excel import template_build

    plan = Plan.objects.get(code="div3-2021-2025")
    wb = load_workbook(io.BytesIO(template_build(plan=plan, year=2022, user=div3_official)))
    wb["指标填报"]["F2"] = "0"
    data = io.BytesIO()
    wb.save(data)
    client.force_login(div3_official)
    upload = SimpleUploadedFile("t.xlsx", data.getvalue())
    response = client.post(reverse("entry_import", args=[plan.code, 2022]), {"file": upload})
    assert response.status_code == 400
    assert "工作表“指标填报”第2行 F列：模板版本为“0”" in response.content.decode()


def _with_sheet_xml(content, change):
    """The template with the values sheet's XML changed by `change(xml: bytes) -> bytes`."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheet = next(n for n in members if n.startswith("xl/worksheets/sheet") and b"B2" in members[n])
    members[sheet] = change(members[sheet])
    return _zip(members)


def test_a_sheet_declaring_a_million_rows_is_refused_without_reading_them(client, official):
    # 11 KB on disk that once kept a worker busy for half an hour: the declared range is checked
    # against the template's before a row is read, and reading never goes past the template's size.
    def huge(xml):
        import re

        xml = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', xml)
        return xml.replace(b"</sheetData>", b'<row r="1048576"/></sheetData>')

    response = upload(client, _with_sheet_xml(template(client), huge))
    html = response.content.decode()
    assert response.status_code == 400
    assert "工作表“指标填报”的范围为 1048576 行 × 16384 列，超出本模板" in html
    assert saved() == 0


def test_a_sheet_without_a_declared_range_is_read_only_as_far_as_the_template_goes(client, official):
    def undeclared(xml):
        import re

        xml = re.sub(rb'<dimension ref="[^"]*"\s*/>', b"", xml)
        return xml.replace(
            b"</sheetData>", b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
        )

    response = upload(client, _with_sheet_xml(fill(template(client), {seq("9"): "13.98"}), undeclared))
    assert response.status_code == 302  # the stray cell far below the template is never reached
    assert IndicatorValue.objects.get(indicator_id=seq("9"), year=YEAR).raw_text == "13.98"


def test_broken_sheet_xml_is_refused_naming_the_sheet(client, official):
    response = upload(
        client, _with_sheet_xml(template(client), lambda xml: xml.replace(b"</sheetData>", b"<row><c></sheetData>"))
    )
    assert response.status_code == 400
    assert "工作表“指标填报”第" in response.content.decode() and "有无法读取的内容" in response.content.decode()


@pytest.mark.parametrize("number", ["1E+999", "NaN", "-inf"])
def test_infinity_and_nan_in_a_value_cell_are_refused_naming_the_cell(client, official, number):
    import re

    row = 5 + list(Indicator.objects.filter(plan__code=CODE).order_by("position").values_list("pk", flat=True)).index(seq("9"))

    def typed(xml):  # a number cell as another program may write it: openpyxl itself never writes these
        cell = re.compile(rb'<c r="J%d"([^>]*?)(?:/>|>.*?</c>)' % row)
        assert cell.search(xml)
        return cell.sub(
            lambda m: b'<c r="J%d"%s><v>%s</v></c>' % (row, m.group(1).replace(b' t="inlineStr"', b""), number.encode()), xml
        )

    response = upload(client, _with_sheet_xml(template(client), typed))
    assert response.status_code == 400
    html = response.content.decode()
    # Read as infinity: refused naming the cell; unreadable as a number: refused naming the row.
    assert f"第{row}行 J列（本年值）" in html or f"工作表“指标填报”第{row}行有无法读取的内容" in html
    assert saved() == 0


def test_a_macro_workbook_is_refused_saying_what_it_is(client, official):
    # Saved by Excel as .xlsm: the content type says macro-enabled and a VBA project is inside.
    with zipfile.ZipFile(io.BytesIO(template(client))) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml"
    )
    members["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0"
    response = upload(client, _zip(members), name="filled.xlsm")
    assert response.status_code == 400
    assert "含宏的工作簿（.xlsm）" in response.content.decode()
    assert saved() == 0


def test_links_to_other_workbooks_are_ignored_and_reported(client, official):
    with zipfile.ZipFile(io.BytesIO(fill(template(client), {seq("9"): "13.98"}))) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["xl/externalLinks/externalLink1.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<externalBook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"/></externalLink>'
    )
    members["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath"'
        b' Target="file:///C:/secret/other.xlsx" TargetMode="External"/></Relationships>'
    )
    response = upload(client, _zip(members))
    assert response.status_code == 302
    assert IndicatorValue.objects.get(indicator_id=seq("9"), year=YEAR).raw_text == "13.98"
    followed = client.get(response["Location"]).content.decode()
    assert "1 个指向其他工作簿的外部链接，已忽略" in followed


def test_reading_a_sheet_has_a_time_budget(client, official, settings):
    settings.IMPORT_MAX_SECONDS = -1  # already over: the first row read ends it
    response = upload(client, fill(template(client), {seq("9"): "13.98"}))
    assert response.status_code == 400
    assert "读取工作表“指标填报”超时" in response.content.decode()
    assert saved() == 0
