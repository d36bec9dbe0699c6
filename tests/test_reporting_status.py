"""The reporting-status page and the reminder e-mails."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from entry.reporting import reminders_send
from indicators import services
from indicators.models import Indicator, Plan, ReportingDeadline

pytestmark = pytest.mark.django_db
CODE, YEAR = "div3-2021-2025", 2022


@pytest.fixture
def plan():
    return Plan.objects.get(code=CODE)


def test_the_status_page_counts_entered_submitted_approved_and_missing(client, plan, div3_official, div3_reviewer, viewer):
    forest = Indicator.objects.get(plan=plan, seq="9")
    green = Indicator.objects.get(plan=plan, seq="5")
    services.values_save(
        plan=plan, year=YEAR, user=div3_official, rows=[services.RowInput(key=forest.pk, text="13.98")], submit=True
    )
    services.values_save(plan=plan, year=YEAR, user=div3_official, rows=[services.RowInput(key=green.pk, text="38.5")])
    ReportingDeadline.objects.create(plan=plan, year=YEAR, due_on=datetime.date(2023, 3, 31))
    client.force_login(viewer)
    response = client.get(reverse("reporting_status", args=[CODE, YEAR]))
    context = response.context
    assert dict((s, n) for s, _, n in context["counts"]) == {
        "missing": 19,
        "draft": 1,
        "returned": 0,
        "submitted": 1,
        "approved": 0,
    }
    assert context["share_complete"] == pytest.approx(1 / 21)
    assert ("div3-official", [0, 1, 0, 1, 0], 2) in context["by_official"]
    assert ("第三师图木舒克市", [19, 1, 0, 1, 0], 21) in context["by_region"]
    assert [v.indicator for v in context["late"]] == [forest]  # submitted today, after 2023-03-31
    html = response.content.decode()
    assert "2023年3月31日" in html and "已过截止日期" in html


def test_reminders_list_each_officials_missing_and_returned_items(plan, div3_official, div3_reviewer):
    forest = Indicator.objects.get(plan=plan, seq="9")
    services.values_save(
        plan=plan, year=YEAR, user=div3_official, rows=[services.RowInput(key=forest.pk, text="13.5")], submit=True
    )
    value = forest.values.get(year=YEAR)
    services.values_review(
        plan=plan, year=YEAR, user=div3_reviewer, value_ids=[value.pk], action="return", comment="请核对林草局数据"
    )
    today = timezone.localdate()
    ReportingDeadline.objects.create(plan=plan, year=YEAR, due_on=today + datetime.timedelta(days=7))

    assert reminders_send(today) == 1
    [message] = mail.outbox
    assert message.to == ["div3-official@example.invalid"]
    assert message.subject.startswith("【填报提醒】第三师图木舒克市“十四五”生态环境保护规划 2022年数据")
    assert "还有 7 天" in message.body
    assert "已退回：9 森林覆盖率(%)（审核意见：请核对林草局数据）" in message.body
    assert "未填报：5 城镇建成区绿化覆盖率(%)" in message.body
    assert "项目进展未填报：1 第三师图木舒克市塔里木河—叶尔羌河段水质防退化工程" in message.body


def test_no_reminder_on_other_days_or_when_nothing_is_open(plan, div3_official):
    today = timezone.localdate()
    ReportingDeadline.objects.create(plan=plan, year=YEAR, due_on=today + datetime.timedelta(days=3))
    assert reminders_send(today) == 0
    ReportingDeadline.objects.filter(plan=plan).update(due_on=today - datetime.timedelta(days=1))
    assert reminders_send(today) == 1  # one day after the deadline
    assert "已过 1 天" in mail.outbox[0].body


def test_the_reminder_job_is_scheduled_daily(settings):
    assert settings.CELERY_BEAT_SCHEDULE["daily-reminders"]["task"] == "entry.send_reminders"
