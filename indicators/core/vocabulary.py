"""Every code the portal stores and shows, defined once: attainment statuses, value states, data
origins and indicator attributes, each with its Chinese label, and statuses with their colours and
order. The engine, models, charts, workbooks, templates and the status style sheet all read it here.

Plain Python. Labels are Chinese and are also the gettext message ids: `gettext_noop` marks them
for makemessages without importing Django, and the edge translates them (`indicators.i18n`).
"""

from __future__ import annotations

from dataclasses import dataclass

from indicators.core.messages import gettext_noop


@dataclass(frozen=True)
class Term:
    code: str
    label: str  # Chinese, and the gettext message id
    colour: str = ""  # background, "#rrggbb"
    text_colour: str = ""


# Attainment statuses, in the order every legend, chart and summary shows them.
MET, ON_TRACK, LAGGING, NOT_MET = "met", "on_track", "lagging", "not_met"
PENDING_ASSIGNMENT, NO_DATA, NOT_ASSESSABLE = "pending_assignment", "no_data", "not_assessable"
STATUSES = (
    Term(MET, gettext_noop("达标"), "#1a7f37", "#ffffff"),
    Term(ON_TRACK, gettext_noop("进度正常"), "#0b5cad", "#ffffff"),
    Term(LAGGING, gettext_noop("进度滞后"), "#f2b705", "#1b1f24"),
    Term(NOT_MET, gettext_noop("未达标"), "#c62828", "#ffffff"),
    Term(PENDING_ASSIGNMENT, gettext_noop("待下达"), "#6f42c1", "#ffffff"),
    Term(NO_DATA, gettext_noop("无数据"), "#d0d4d9", "#1b1f24"),
    Term(NOT_ASSESSABLE, gettext_noop("无法判断"), "#eceef1", "#1b1f24"),
)
STATUS = {t.code: t for t in STATUSES}
STATUS_ORDER = [t.code for t in STATUSES]
STATUS_LABELS = {t.code: t.label for t in STATUSES}
STATUS_COLOURS = {t.code: t.colour for t in STATUSES}

# States of an entered figure in the approval workflow (indicators.core.workflow).
DRAFT, SUBMITTED, APPROVED, RETURNED = "draft", "submitted", "approved", "returned"
STATES = (
    Term(DRAFT, gettext_noop("草稿")),
    Term(SUBMITTED, gettext_noop("已提交")),
    Term(APPROVED, gettext_noop("已审核")),
    Term(RETURNED, gettext_noop("已退回")),
)
STATE_LABELS = {t.code: t.label for t in STATES}

# Where a figure came from.
DOCUMENT, ENTRY, IMPORT, API, DEMO = "document", "entry", "import", "api", "demo"
ORIGINS = (
    Term(DOCUMENT, gettext_noop("规划文件")),
    Term(ENTRY, gettext_noop("填报")),
    Term(IMPORT, gettext_noop("导入")),
    Term(API, gettext_noop("接口")),
    Term(DEMO, gettext_noop("演示数据")),
)

# The way a change reached the portal, as the audit trail records it (simple_history's change reason).
CHANNEL_LABELS = {
    "form": gettext_noop("网页填报"),
    "import": gettext_noop("Excel导入"),
    "api": gettext_noop("接口"),
    "admin": gettext_noop("管理后台"),
    "direction": gettext_noop("设定方向"),
}

# The kinds of target the grammar reads (indicators.core.targets), as users read them.
TARGET_KIND_LABELS = {
    "threshold": gettext_noop("数值目标"),
    "eliminate": gettext_noop("消除"),
    "no_event": gettext_noop("不发生"),
    "trend": gettext_noop("趋势"),
    "assigned": gettext_noop("上级下达"),
    "qualitative": gettext_noop("定性"),
    "relative_change": gettext_noop("较基准年变化"),
    "change_bound": gettext_noop("变化幅度"),
    "compound": gettext_noop("多重条件"),
    "range": gettext_noop("区间"),
    "about": gettext_noop("左右"),
    "annual_rate": gettext_noop("年均变化"),
    "yoy_change": gettext_noop("同比变化"),
    "multiple": gettext_noop("分项目标"),
    "deadline": gettext_noop("限期完成"),
    "empty": gettext_noop("未印"),
    "unparsed": gettext_noop("未能识别"),
}

# An indicator's attribute as the documents print it: the code is the printed word.
BINDING, EXPECTED, REFERENCE = "约束性", "预期性", "参考性"
ATTRIBUTES = (
    Term(BINDING, gettext_noop("约束性")),
    Term(EXPECTED, gettext_noop("预期性")),
    Term(REFERENCE, gettext_noop("参考性")),
)


# The figures that count (有效数据): approved ones, and submitted ones as provisional (暂定). Drafts
# and returned figures are nobody's word yet and never reach a status, a chart or a report.
COUNTING_STATES = (APPROVED, SUBMITTED)


def counts(state: str) -> bool:
    return state in COUNTING_STATES


def is_approved(origin: str, state: str) -> bool:
    """Whether a figure has been vouched for: printed in the plan document, or approved by a reviewer."""
    return origin == DOCUMENT or state == APPROVED
