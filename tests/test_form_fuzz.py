"""The HTML forms fuzzed, beside the API's schemathesis run (tests/test_api_fuzz.py): whatever is
typed into the entry, progress and review forms, the answer is never a 500, and a refused post
writes nothing."""

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.models import Indicator, IndicatorValue
from projects.models import KeyProject, ProjectProgress

pytestmark = pytest.mark.django_db
CODE, YEAR = "div3-2021-2025", 2022
OK = {200, 302, 400, 403, 409, 413}
# Text as people and attackers type it: numbers in every form, words, markup, control characters.
TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["13.9", "1e15", "NaN", "-0", "1" * 40, "１３．９", "13。9", "≥85", "已消除", "<script>", "'; DROP TABLE x;--", ""]
    ),
    st.from_regex(r"-?\d{1,20}(\.\d{0,12})?", fullmatch=True),
)
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def _post_and_check(client, url, data, count):
    with transaction.atomic():
        before = count()
        response = client.post(url, data)
        assert response.status_code in OK, (response.status_code, data)
        if response.status_code != 302:
            assert count() == before, data  # refused: nothing written
        transaction.set_rollback(True)  # each example starts from the same data


@SETTINGS
@given(
    value=TEXT,
    remark=TEXT,
    version=TEXT,
    confirm=st.sampled_from(["", "1", "x"]),
    action=st.sampled_from(["save", "submit", "", "x"]),
)
def test_the_entry_form_never_answers_500(client, div3_official, value, remark, version, confirm, action):
    client.force_login(div3_official)
    forest = Indicator.objects.get(plan__code=CODE, seq="9")
    data = {f"value-{forest.pk}": value, f"remark-{forest.pk}": remark, f"version-{forest.pk}": version, "action": action}
    if confirm:
        data[f"confirm-{forest.pk}"] = confirm
    _post_and_check(client, reverse("values_entry", args=[CODE, YEAR]), data, IndicatorValue.objects.count)


@SETTINGS
@given(status=TEXT, investment=TEXT, percent=TEXT, remark=TEXT, version=TEXT)
def test_the_progress_form_never_answers_500(client, div3_official, status, investment, percent, remark, version):
    client.force_login(div3_official)
    project = KeyProject.objects.filter(plan__code=CODE).first()
    data = {
        f"status-{project.pk}": status,
        f"investment-{project.pk}": investment,
        f"percent-{project.pk}": percent,
        f"remark-{project.pk}": remark,
        f"version-{project.pk}": version,
        "action": "save",
    }
    _post_and_check(client, reverse("progress_entry", args=[CODE, YEAR]), data, ProjectProgress.objects.count)


@SETTINGS
@given(ids=st.lists(TEXT, max_size=3), action=TEXT, comment=TEXT, target=TEXT, assigned=TEXT)
def test_the_review_form_never_answers_500(client, div3_reviewer, ids, action, comment, target, assigned):
    client.force_login(div3_reviewer)
    data = {"value": ids, "progress": ids, "action": action, "comment": comment, "target": target, "assigned_value": assigned}
    _post_and_check(client, reverse("review", args=[CODE, YEAR]), data, IndicatorValue.objects.count)
