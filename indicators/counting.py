"""The figures that count (有效数据): one definition for every reader.

Approved figures count; submitted ones count as provisional (暂定) and are marked so wherever they
appear; drafts and returned figures never count. While a figure that was approved, then reopened,
is being corrected, the approved version still counts. The engine's input, dashboards, comparisons,
reports, evaluations and the API's results all read figures through here.
"""

from __future__ import annotations

from typing import NamedTuple

from django.db.models import QuerySet

from indicators.core import vocabulary
from indicators.models import IndicatorValue


class Counted(NamedTuple):
    """What one indicator-year (or project-year) stands at for everyone who reads it.

    `figure` holds the fields asked for of the figure that counts (None: none does). `provisional`
    marks a submitted figure not yet approved (暂定). `pending` is the state of a newer figure that
    does not count yet: "returned" (已退回、待重新报送) or "draft"; while a reopened figure is being
    corrected, `figure` is the one approved before it was reopened.

    A named tuple rather than a frozen dataclass: a province's report makes a few hundred thousand.
    """

    figure: dict | None
    origin: str = ""
    provisional: bool = False
    pending: str = ""

    @property
    def raw(self) -> str | None:
        return self.figure["raw_text"] if self.figure else None

    @property
    def approved(self) -> bool:
        return self.figure is not None and not self.provisional

    @property
    def demo(self) -> bool:
        return self.figure is not None and self.origin == vocabulary.DEMO


def counted_rows(rows: QuerySet, key: tuple[str, str], fields: tuple[str, ...] = ("raw_text",)) -> dict[tuple, Counted]:
    """The figures that count among `rows` (IndicatorValue or ProjectProgress), by the two `key` fields.

    The single definition of 有效数据, used by the engine's input, dashboards, comparisons,
    reports and evaluations. Two queries at most: the rows, then, for rows that do not count, the
    version approved before they were reopened (from the audit history).
    """
    listed = list(rows.values_list("pk", *key, "origin", "state", *fields))
    reopened = [row[0] for row in listed if not vocabulary.counts(row[4])]
    earlier = approved_before(rows.model, reopened, fields) if reopened else {}
    return counted_from(listed, earlier, fields)


def waiting(rows: QuerySet) -> QuerySet:
    """The ids of `rows` that do not count now (returned, reopened, draft): a subquery."""
    return rows.exclude(state__in=vocabulary.COUNTING_STATES).values("pk")


def approved_before(model, ids, fields: tuple[str, ...]) -> dict[int, list]:
    """For rows reopened or returned (`ids`), the fields of their latest approved version."""
    history = model.history.model.objects.filter(id__in=ids, state=vocabulary.APPROVED)
    earlier = {}
    for pk, *figure in history.order_by("history_date", "history_id").values_list("id", *fields):
        earlier[pk] = figure  # the latest approved version wins
    return earlier


def counted_from(rows, earlier: dict, fields: tuple[str, ...]) -> dict[tuple, Counted]:
    """`counted_rows` on rows already read: (pk, key1, key2, origin, state, *fields) tuples, and
    `earlier` from `approved_before` (the reports read both for many plans at once).

    Written for speed (indexing rather than unpacking, the tuple made directly): the all-plans
    summary runs every figure of every plan through here."""
    found = {}
    single = fields[0] if len(fields) == 1 else None
    for row in rows:
        state = row[4]
        if vocabulary.counts(state):
            figure = {single: row[5]} if single else dict(zip(fields, row[5:], strict=True))
            found[row[1], row[2]] = tuple.__new__(Counted, (figure, row[3], state == vocabulary.SUBMITTED, ""))
        elif row[0] in earlier:
            found[row[1], row[2]] = Counted(dict(zip(fields, earlier[row[0]], strict=True)), row[3], pending=state)
        else:
            found[row[1], row[2]] = Counted(None, row[3], pending=state)
    return found


def counted_values(values: QuerySet[IndicatorValue], fields: tuple[str, ...] = ("raw_text",)) -> dict[tuple[int, int], Counted]:
    """Per (indicator id, year), the figure that counts among `values` (plan-level rows only)."""
    return counted_rows(values.filter(region__isnull=True), ("indicator_id", "year"), fields)
