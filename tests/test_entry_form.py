"""The yearly entry form: what it shows, how it validates, draft and submit, concurrent edits."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Indicator, IndicatorValue

pytestmark = pytest.mark.django_db
YEAR = 2022


def url(code="div3-2021-2025", year=YEAR):
    return reverse("values_entry", args=[code, year])


def ind(seq, code="div3-2021-2025"):
    return Indicator.objects.get(plan__code=code, seq=seq, parent__isnull=True) if seq != "6" else None


def post(client, fields, action="save", code="div3-2021-2025"):
    return client.post(url(code), {"action": action, **fields})


def fields_for(indicator, text, version=0, remark="", confirm=False):
    data = {f"value-{indicator.pk}": text, f"version-{indicator.pk}": str(version), f"remark-{indicator.pk}": remark}
    if confirm:
        data[f"confirm-{indicator.pk}"] = "1"
    return data


@pytest.fixture
def official(client, div3_official):
    client.force_login(div3_official)
    return div3_official


def test_the_form_lists_every_indicator_with_target_baseline_and_last_year(client, official, django_assert_max_num_queries):
    # Expect: session, user, plan, membership, indicators, targets, values + membership for region rows
    with django_assert_max_num_queries(10):
        response = client.get(url())
    html = response.content.decode()
    assert html.count('name="version-') == 21  # every row is open for entry in an empty year
    assert "森林覆盖率(%)" in html and "13.97" in html  # 2022 target of seq 9
    assert "13.81" in html  # its 2020 baseline
    assert '<select id="value-' in html  # qualitative rows get a choice
    assert "未发生" in html


def test_it_saves_a_draft(client, official):
    forest = ind("9")
    response = post(client, fields_for(forest, "13.99", remark="林草局年报"))
    assert response.status_code == 302
    value = IndicatorValue.objects.get(indicator=forest, year=YEAR)
    assert (value.raw_text, value.number, value.state, value.origin, value.entered_by) == (
        "13.99",
        Decimal("13.99"),
        "draft",
        "entry",
        official,
    )
    assert value.remark == "林草局年报"


def test_it_rejects_text_that_is_not_a_number_naming_the_field(client, official):
    forest = ind("9")
    response = post(client, fields_for(forest, "十三点九"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "“十三点九”不是数字" in html
    assert not IndicatorValue.objects.filter(indicator=forest, year=YEAR).exists()


def test_it_rejects_a_percentage_over_100(client, official):
    response = post(client, fields_for(ind("2"), "120"))
    assert "百分比应在0到100之间，填写的是120" in response.content.decode()


def test_it_rejects_a_negative_count():
    from indicators.core.validation import check_value

    assert check_value("-2", unit="起").errors == ["数量不能为负数，填写的是-2"]


def test_a_jump_over_half_asks_for_confirmation_or_a_remark(client, official):
    forest = ind("9")
    IndicatorValue.objects.create(indicator=forest, year=2021, raw_text="13.9", number=13.9, origin="entry", state="approved")
    response = post(client, fields_for(forest, "25"))
    assert "与上年的 13.9 相比变化 79.9%，超过50%" in response.content.decode()
    assert not IndicatorValue.objects.filter(indicator=forest, year=YEAR).exists()
    assert post(client, fields_for(forest, "25", confirm=True)).status_code == 302
    assert IndicatorValue.objects.get(indicator=forest, year=YEAR).raw_text == "25"


def test_one_bad_row_saves_nothing(client, official):
    data = {**fields_for(ind("5"), "38.5"), **fields_for(ind("9"), "abc")}
    assert post(client, data).status_code == 400
    assert not IndicatorValue.objects.filter(indicator__plan__code="div3-2021-2025", year=YEAR).exists()
    # What the official typed is kept on the page.
    assert 'value="38.5"' in post(client, data).content.decode()


def test_a_qualitative_row_only_accepts_its_choices(client, official):
    row = ind("16")  # 放射源辐射事故年发生率: 不发生
    assert "请选择未发生、发生之一" in post(client, fields_for(row, "没有")).content.decode()
    assert post(client, fields_for(row, "未发生")).status_code == 302


def test_submit_moves_drafts_to_review(client, official):
    post(client, fields_for(ind("5"), "38.5"))
    value = IndicatorValue.objects.get(indicator=ind("5"), year=YEAR)
    response = post(client, fields_for(ind("9"), "13.98"), action="submit")
    assert response.status_code == 302
    states = dict(
        IndicatorValue.objects.filter(year=YEAR, indicator__plan__code="div3-2021-2025").values_list("indicator__seq", "state")
    )
    assert states == {"5": "submitted", "9": "submitted"}
    value.refresh_from_db()
    assert value.submitted_at is not None


def test_a_submitted_value_cannot_be_changed_by_the_official(client, official):
    post(client, fields_for(ind("5"), "38.5"), action="submit")
    value = IndicatorValue.objects.get(indicator=ind("5"), year=YEAR)
    response = post(client, fields_for(ind("5"), "39", version=value.version))
    assert "该值已提交，不能修改" in response.content.decode()


def test_the_second_of_two_concurrent_saves_is_refused_with_the_other_value(client, official, django_user_model):
    forest = ind("9")
    colleague = django_user_model.objects.create_user("colleague")
    from indicators.models import PlanMembership

    PlanMembership.objects.create(user=colleague, plan=forest.plan, role="official")
    # Both opened the form when there was no value (version 0); the colleague saved first.
    from indicators import services

    services.values_save(
        plan=forest.plan, year=YEAR, user=colleague, rows=[services.RowInput(key=forest.pk, text="14.00", version=0)]
    )
    response = post(client, fields_for(forest, "13.95", version=0))
    html = response.content.decode()
    assert response.status_code == 400
    assert "该值已被colleague于" in html and "改为“14.00”，您的修改未保存" in html
    assert IndicatorValue.objects.get(indicator=forest, year=YEAR).raw_text == "14.00"


def test_values_printed_in_the_document_are_not_editable(client, official):
    forest = ind("9")
    printed = IndicatorValue(indicator=forest, year=YEAR, origin="document", state="approved")
    printed.set_text("13.97")
    printed.save()
    response = post(client, fields_for(forest, "14.5", version=printed.version))
    assert "该值来自规划文件，不能修改" in response.content.decode()


def test_a_year_outside_the_plan_period_is_not_found(client, official):
    assert client.get(url(year=2030)).status_code == 404


def test_last_years_figure_is_the_one_that_counts(client, official, div3_reviewer):
    from indicators import services
    from indicators.models import Plan

    plan = Plan.objects.get(code="div3-2021-2025")
    forest = ind("9")
    # 2021: a draft never counts, so last year shows the 2020 figure printed in the plan.
    services.values_save(plan=plan, year=2021, user=official, rows=[services.RowInput(key=forest.pk, text="99", confirmed=True)])
    row = next(r for r in services.entry_rows(plan, YEAR, official) if r.indicator.pk == forest.pk)
    assert row.previous.raw == "13.81" and row.previous_year == 2020
    assert "99" not in client.get(url()).content.decode().split(f'id="row-{forest.pk}"')[1].split("</tr>")[0]
    # Submitted, it counts (暂定), and the jump check compares with it.
    value = IndicatorValue.objects.get(indicator=forest, year=2021)
    services.values_save(
        plan=plan,
        year=2021,
        user=official,
        rows=[services.RowInput(key=forest.pk, text="14.0", version=value.version)],
        submit=True,
    )
    row = next(r for r in services.entry_rows(plan, YEAR, official) if r.indicator.pk == forest.pk)
    assert row.previous.raw == "14.0" and row.previous_year == 2021


def test_the_confirm_box_appears_only_where_ticking_it_helps(client, official):
    forest = ind("9")
    jump = post(client, fields_for(forest, "30"))  # more than 50% above the baseline: a warning
    assert jump.status_code == 400 and f'name="confirm-{forest.pk}"' in jump.content.decode()
    wrong = post(client, fields_for(forest, "abc"))  # not a number: an error no box can answer
    assert wrong.status_code == 400 and f'name="confirm-{forest.pk}"' not in wrong.content.decode()


def test_the_progress_page_shows_last_years_progress(client, official):
    from projects.models import KeyProject, ProjectProgress

    project = KeyProject.objects.get(plan__code="div3-2021-2025", seq="12")
    ProjectProgress.objects.create(project=project, year=2021, status="ongoing", investment_completed_wan=2500, state="approved")
    html = client.get(reverse("progress_entry", args=["div3-2021-2025", YEAR])).content.decode()
    row = html.split(f'id="project-{project.pk}"')[1].split("</tr>")[0]
    assert "2500" in row and "2021年进展" in html
