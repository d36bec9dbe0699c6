"""The approval workflow of entered figures (indicator values and project progress). Plain Python.

    draft --submit--> submitted --approve--> approved --reopen--> draft
      ^                   |
      +------edit-------- returned <--return--+

Officials edit and submit; reviewers approve, return (with a comment) and reopen. Approved
figures are locked until a reviewer reopens them.
"""

DRAFT, SUBMITTED, APPROVED, RETURNED = "draft", "submitted", "approved", "returned"
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
ACTION_LABELS = {"edit": "修改", "submit": "提交", "approve": "审核通过", "return": "退回", "reopen": "重新打开"}
STATE_LABELS = {DRAFT: "草稿", SUBMITTED: "已提交", APPROVED: "已审核", RETURNED: "已退回"}


class WorkflowError(Exception):
    pass


def next_state(action, state, role):
    """The state after `action` by someone in `role`, or WorkflowError saying why not."""
    transition = TRANSITIONS.get((action, state))
    if transition is None:
        raise WorkflowError(f"“{STATE_LABELS.get(state, state)}”状态的数据不能{ACTION_LABELS.get(action, action)}")
    to_state, who = transition
    if who != role:
        who_label = "填报员" if who == OFFICIAL else "审核员"
        raise WorkflowError(f"只有{who_label}可以{ACTION_LABELS[action]}")
    return to_state
