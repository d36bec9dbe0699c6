import time
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from indicators.i18n import translate
from intake import importing
from intake.documents import DocumentRefused


class Command(BaseCommand):
    help = (
        "Read a plan document (.docx or .pdf) as a plan: print what was read, write it as a plan file "
        "(--out) or publish it (--publish). Plan details the document does not print are given as options."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--code", required=True, help="the new plan's code (slug), e.g. hami-2026-2030")
        target = parser.add_mutually_exclusive_group()
        target.add_argument("--out", help="write the plan file (YAML) here, and its source text beside it")
        target.add_argument("--publish", action="store_true", help="load it as a plan of the portal")
        parser.add_argument("--title")
        parser.add_argument("--region", help="a region name or alias of the region tree")
        parser.add_argument("--issuer")
        parser.add_argument("--period", help="e.g. 2026-2030")
        parser.add_argument("--baseline-year", type=int)

    def handle(self, *args, path, code, out=None, publish=False, **options):
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取 {path}：{exc}") from exc
        given = self._given(options)
        started = time.monotonic()
        try:
            document, result = importing.document_read(data, path.name, code, given)
        except DocumentRefused as exc:
            raise CommandError(f"{path.name}：{exc.message}") from exc
        seconds = time.monotonic() - started
        self._summary(path, result, seconds)
        if not (out or publish):
            return
        if result.missing:
            raise CommandError("文件中未印以下规划信息，请用选项给出：" + "、".join(f"--{_OPTION[k]}" for k in result.missing))
        plan = importing.plan_data(result)
        if out:
            out = Path(out)
            out.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
            source = out.parent / importing.source_name(code)
            source.write_text("\n".join(document.lines) + "\n", encoding="utf-8")
            self.stdout.write(f"已写入 {out} 和来源文本 {source}")
            return
        import hashlib

        try:
            published = importing.publish(
                data=plan, source_text="\n".join(document.lines), original_name=path.name, sha256=hashlib.sha256(data).hexdigest()
            )
        except importing.PublishRefused as exc:
            raise CommandError("未发布：\n  - " + "\n  - ".join(exc.problems)) from exc
        self.stdout.write(f"已发布规划 {published.code}：{published.title}")

    def _given(self, options):
        given = {"title": options.get("title"), "issuer": options.get("issuer"), "baseline_year": options.get("baseline_year")}
        if options.get("region"):
            from intake.reading import match_region

            name = match_region(options["region"], importing.known_regions())
            if name is None:  # match_region only answers names from the region table
                raise CommandError(f"区域“{options['region']}”不在区域表中")
            given["region"] = name
        if options.get("period"):
            try:
                start, end = (int(x) for x in options["period"].replace("—", "-").split("-"))
            except ValueError as exc:
                raise CommandError("--period 应写作 2026-2030") from exc
            given["period_start"], given["period_end"] = start, end
        return given

    def _summary(self, path, result, seconds):
        write = self.stdout.write
        write(f"{path.name}：读取用时 {seconds:.1f} 秒")
        plan = result.plan
        write(
            f"规划：{plan.get('title') or '（未读出）'}；区域：{plan.get('region') or '（未读出）'}；"
            f"规划期：{plan.get('period_start') or '?'}—{plan.get('period_end') or '?'}；基准年：{plan.get('baseline_year') or '?'}"
        )
        for table in result.tables:
            line = f"  表{table.number}（{table.place}）{table.caption[:40]}：{_KINDS[table.kind]}"
            if table.reason:
                line += f"，{translate(table.reason)}"
            write(line)
        write(
            f"指标 {len(result.indicators)} 行，数值与目标 {result.cells} 格（目标未能解析 {result.unparsed} 格）；"
            f"重点项目 {len(result.projects)} 个；文件所列合计 {len(result.stated_totals)} 处"
        )
        if result.missing:
            write("未读出：" + "、".join(result.missing))
        for note in result.warnings:
            self.stdout.write(self.style.WARNING(f"  ! {note.place}：{translate(note.message)}"))
        write(f"警告 {len(result.warnings)} 条")


_KINDS = {"indicators": "指标表", "projects": "项目表", "skipped": "未导入"}
_OPTION = {
    "title": "title",
    "region": "region",
    "period_start": "period",
    "period_end": "period",
    "baseline_year": "baseline-year",
}
