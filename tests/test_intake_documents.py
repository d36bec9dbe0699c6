"""Bad plan documents get a clear message and leave nothing behind (issue 16, item 5).

Each bad file is a real one of its kind: a Word file with macros or a linked template, a
password-protected .docx (msoffcrypto-tool) and PDF (pypdf), a scanned PDF (an image, no text
layer; Pillow), a damaged file, one over the size limit, one with no table."""

import io
import zipfile

import docx
import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from indicators.models import Plan, Region
from intake import documents
from intake.documents import DocumentRefused
from intake.models import PlanDraft
from intake.reading import RegionName, match_region


def _docx(paragraphs=("喀什地区生态环境保护“十五五”规划",), table=None) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


PLAN_TABLE = [
    ["序号", "指标名称", "单位", "2025年", "2030年", "属性"],
    ["1", "细颗粒物（PM2.5）平均浓度", "微克/立方米", "45", "≤40", "约束性"],
    ["2", "森林覆盖率", "%", "2.1", "2.3", "预期性"],
]


def _with_member(data: bytes, name: str, content: bytes, rels: bytes | None = None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if rels is not None and item.filename == "word/_rels/document.xml.rels":
                body = body.replace(b"</Relationships>", rels + b"</Relationships>")
            target.writestr(item, body)
        if name:
            target.writestr(name, content)
    return out.getvalue()


def _encrypted_docx() -> bytes:
    import msoffcrypto.format.ooxml

    out = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(_docx(table=PLAN_TABLE))).encrypt("secret", out)
    return out.getvalue()


def _pdf_of_image() -> bytes:
    image = Image.new("RGB", (800, 600), "white")
    for x in range(100, 700):
        image.putpixel((x, 300), (0, 0, 0))  # a "scanned" ruling line, no text anywhere
    out = io.BytesIO()
    image.save(out, "PDF")
    return out.getvalue()


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(_pdf_of_image())).pages:
        writer.add_page(page)
    writer.encrypt("secret", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


BAD = {
    "empty": (lambda: b"", "文件为空"),
    "not a document": (lambda: b"name,value\n1,2\n", "无法识别"),
    "macros": (lambda: _with_member(_docx(table=PLAN_TABLE), "word/vbaProject.bin", b"\0" * 64), "含宏"),
    "linked template": (
        lambda: _with_member(
            _docx(table=PLAN_TABLE),
            "",
            b"",
            rels=b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="http://example.invalid/t.dotm" TargetMode="External"/>',
        ),
        "外部内容",
    ),
    "entities in a part beside the body": (
        lambda: _with_member(
            _docx(table=PLAN_TABLE), "word/custom.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
        ),
        "实体",
    ),
    "password docx": (_encrypted_docx, "密码"),
    "password pdf": (_encrypted_pdf, "密码"),
    "scanned pdf": (_pdf_of_image, "扫描件"),
    "damaged docx": (lambda: _docx(table=PLAN_TABLE)[:3000], "损坏"),
    "damaged pdf": (lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF", "损坏"),
    "legacy doc": (lambda: documents._OLE_MAGIC + b"\0" * 1024, "旧版 Word"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_document_refused_with_reason(case):
    make, words = BAD[case]
    with pytest.raises(DocumentRefused) as refused:
        documents.read(make(), "plan.docx")
    assert words in str(refused.value.message)


def test_size_limit():
    data = _docx(table=PLAN_TABLE)
    with pytest.raises(DocumentRefused, match="超过上限"):
        documents.read(data, "plan.docx", documents.Limits(max_bytes=len(data) - 1))


@pytest.mark.parametrize("case", ["macros", "scanned pdf", "password docx", "damaged docx"])
def test_bad_upload_leaves_nothing(client, staff, case):
    client.force_login(staff)
    make, words = BAD[case]
    before = (PlanDraft.objects.count(), Plan.objects.count())
    upload = io.BytesIO(make())
    upload.name = "plan.pdf" if "pdf" in case else "plan.docx"
    response = client.post("/intake/upload/", {"document": upload, "code": "bad-2026-2030"})
    assert response.status_code == 400
    assert words in response.content.decode()
    assert (PlanDraft.objects.count(), Plan.objects.count()) == before


def test_bad_upload_in_english(client, staff):
    client.force_login(staff)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    upload = io.BytesIO(_pdf_of_image())
    upload.name = "scan.pdf"
    response = client.post("/intake/upload/", {"document": upload, "code": "scan-2026-2030"})
    assert response.status_code == 400
    assert "no text layer" in response.content.decode()


def test_document_without_a_table(db, tmp_path):
    path = tmp_path / "prose.docx"
    path.write_bytes(_docx(paragraphs=("喀什地区生态环境保护“十五五”规划", "到2030年，生态环境质量持续改善。")))
    with pytest.raises(CommandError, match="未找到指标表"):
        call_command("import_plan", str(path), "--code", "prose-2026-2030", "--publish")
    assert not Plan.objects.filter(code="prose-2026-2030").exists()


def test_command_summary_out_and_publish(db, tmp_path, capsys):
    path = tmp_path / "plan.docx"
    path.write_bytes(_docx(table=PLAN_TABLE))
    call_command("import_plan", str(path), "--code", "kashgar-2026-2030")
    out = capsys.readouterr().out
    assert "喀什地区生态环境保护“十五五”规划" in out and "区域：喀什地区" in out and "2026—2030" in out
    assert "指标 2 行，数值与目标 4 格（目标未能解析 0 格）" in out

    call_command("import_plan", str(path), "--code", "kashgar-2026-2030", "--out", str(tmp_path / "k.yaml"))
    from plandata import plan_files

    data = plan_files.read(tmp_path / "k.yaml", region_names=set(Region.objects.values_list("name", flat=True)))
    first = data["indicators"][0]
    assert (first["name"], first["unit"], first["attribute"]) == ("细颗粒物（PM2.5）平均浓度", "微克/立方米", "约束性")
    assert {y: c.text for y, c in first["values"].items()} == {2025: "45"}
    assert {y: c.text for y, c in first["targets"].items()} == {2030: "≤40"}
    assert first["source"]["place"] == "表1 第2行"
    lines = (tmp_path / "kashgar-2026-2030.txt").read_text(encoding="utf-8").splitlines()
    assert lines[first["source"]["line"] - 1].startswith("| 1 | 细颗粒物")

    call_command("import_plan", str(path), "--code", "kashgar-2026-2030", "--publish")
    plan = Plan.objects.get(code="kashgar-2026-2030")
    assert (plan.region.name, plan.period_start, plan.period_end, plan.baseline_year) == ("喀什地区", 2026, 2030, 2025)
    assert plan.indicators.count() == 2
    with pytest.raises(CommandError, match="已被已发布的规划使用"):
        call_command("import_plan", str(path), "--code", "kashgar-2026-2030", "--publish")


def test_missing_plan_details_are_asked_for(db, tmp_path):
    path = tmp_path / "untitled.docx"
    path.write_bytes(_docx(paragraphs=("主要指标",), table=PLAN_TABLE))
    with pytest.raises(CommandError, match="--title.*--region"):
        call_command("import_plan", str(path), "--code", "x-2026-2030", "--out", str(tmp_path / "x.yaml"))
    call_command(
        "import_plan", str(path), "--code", "x-2026-2030", "--title", "某县规划", "--region", "哈密",
        "--period", "2026-2030", "--out", str(tmp_path / "x.yaml"),
    )  # fmt: skip
    assert "region: 哈密市" in (tmp_path / "x.yaml").read_text(encoding="utf-8")


TREE = [
    RegionName("新疆维吾尔自治区", ("新疆", "自治区")),
    RegionName("伊犁哈萨克自治州", ("伊犁州",), "新疆维吾尔自治区"),
    RegionName("新疆生产建设兵团", ("兵团",)),
    RegionName("第一师阿拉尔市", ("第一师", "阿拉尔市"), "新疆生产建设兵团"),
    RegionName("第十一师", ("建工师",), "新疆生产建设兵团"),
    RegionName("第十二师", (), "新疆生产建设兵团"),
]


@pytest.mark.parametrize(
    "title, region",
    [
        ("新疆生产建设兵团第十二师“十五五”生态环境保护规划", "第十二师"),
        ("新疆生产建设兵团第十一师生态环境保护“十五五”规划", "第十一师"),
        ("阿拉尔市“十五五”生态环境保护规划", "第一师阿拉尔市"),
        ("伊犁州生态环境保护“十五五”规划", "伊犁哈萨克自治州"),
        ("新疆维吾尔自治区生态环境保护“十五五”规划", "新疆维吾尔自治区"),
        ("某某县生态环境保护规划", None),
        ("第一师与第十二师联合规划", None),  # two regions: asked for, not guessed
    ],
)
def test_region_matched_by_full_or_short_name(title, region):
    assert match_region(title, TREE) == region


def test_region_tree_holds_every_prefecture_and_division(db):
    prefectures = Region.objects.filter(parent__name="新疆维吾尔自治区", code__endswith="00")
    assert prefectures.count() == 14  # 4 prefecture-level cities, 5 prefectures, 5 autonomous prefectures
    assert all(len(r.code) == 6 and r.code.startswith("65") for r in prefectures)
    divisions = Region.objects.filter(kind=Region.Kind.DIVISION)
    assert divisions.count() == 14
    assert divisions.exclude(code="").count() == 12  # 第十一师 and 第十二师 have no city of their own
    assert Region.objects.get(name="伊宁市").parent.name == "伊犁哈萨克自治州"


@pytest.mark.parametrize(
    "printed, factor, read",
    [
        ("1,200", "1", "1200"),
        ("3.5亿元", "1", "35000"),
        ("12 000", "1", "12000"),
        ("50000", "0.0001", "5"),  # a column in 元
        ("1e3", "1", None),  # not how an amount is printed
        ("1,2,3", "1", None),
        ("9999999999999亿元", "1", None),  # more than a project's investment holds
        ("-5", "1", None),
    ],
)
def test_a_project_amount_is_read_as_the_portal_reads_every_number(printed, factor, read):
    from decimal import Decimal

    from intake.reading import _money

    assert _money(printed, Decimal(factor)) == read


@pytest.mark.parametrize("cell", ["NA", "N/A", "--", "…", "–", "\\", "－"])
def test_cells_that_print_nothing_are_empty_to_every_reader(cell):
    """The intake reader asks the grammar; the plan-file check refuses a written empty cell."""
    from indicators.core import targets as grammar

    assert grammar.is_empty(cell)
