"""The approval workflow of entered figures (indicator values and project progress). Plain Python.

    draft --submit--> submitted --approve--> approved --reopen--> draft
      ^                   |
      +------edit-------- returned <--return--+

Officials edit and submit; reviewers approve, return (with a comment) and reopen. Approved
figures are locked until a reviewer reopens them.
"""

from indicators.core.messages import Message, gettext_noop
from indicators.core.vocabulary import APPROVED, DRAFT, RETURNED, STATE_LABELS, SUBMITTED

OFFICIAL, REVIEWER = "official", "reviewer"

# (action, from state) -> (to state, who may do it)
TRANSITIONS = {
    ("edit", DRAFT): (DRAFT, OFFICIAL),
    ("edit", RETURNED): (DRAFT, OFFICIAL),
    ("submit", DRAFT): (SUBMITTED, OFFICIAL),
    ("submit", RETURNED): (SUBMITTED, OFFICIAL),
    ("approve", SUBMITTED): (APPROVED, REVIEWER),
    ("return", SUBMITTED): (RETURNED, REVIEWER),
    ("reopen", APPROVED): (DRAFT, REVIEWER),
}
ACTION_LABELS = {
    "edit": gettext_noop("修改"),
    "submit": gettext_noop("提交"),
    "approve": gettext_noop("审核通过"),
    "return": gettext_noop("退回"),
    "reopen": gettext_noop("重新打开"),
}
ROLE_LABELS = {OFFICIAL: gettext_noop("填报员"), REVIEWER: gettext_noop("审核员")}


class WorkflowError(Exception):
    pass


class FourEyesError(WorkflowError):
    """A reviewer action on one's own figure (answered 403 by the API)."""


def next_state(action: str, state: str, role: str) -> str:
    """The state after `action` by someone in `role`, or WorkflowError saying why not."""
    transition = TRANSITIONS.get((action, state))
    if transition is None:
        raise WorkflowError(
            Message(
                gettext_noop("“{state}”状态的数据不能{action}"),
                state=Message(STATE_LABELS.get(state, state)),
                action=Message(ACTION_LABELS.get(action, action)),
            )
        )
    to_state, who = transition
    if who != role:
        raise WorkflowError(
            Message(gettext_noop("只有{role}可以{action}"), role=Message(ROLE_LABELS[who]), action=Message(ACTION_LABELS[action]))
        )
    return to_state


def four_eyes(entered_by: int | None, reviewer: int) -> Message | None:
    """Why `reviewer` may not review a figure last entered or changed by `entered_by` (None: they may).

    Whatever their roles, superusers included: a figure is vouched for by a second person.
    """
    if entered_by is not None and entered_by == reviewer:
        return Message(gettext_noop("这是您本人填报或最后修改的数据，须由其他审核员审核"))
    return None
