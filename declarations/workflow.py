"""The declaration's transition table as data, and pure rule helpers (no DB writes).

The state machine itself is declared by the ``@transition`` methods on
``Declaration``; this table adds what each transition means: the rule it
implements, who performs it, and a label for people. ``tests/declarations/
test_workflow.py`` checks that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from declarations.enums import State


@dataclass(frozen=True)
class TransitionInfo:
    name: str
    rules: tuple[str, ...]
    actor: str
    label: Promise


TRANSITIONS: dict[str, TransitionInfo] = {
    t.name: t
    for t in (
        TransitionInfo("submit", ("R5.1", "R5.2", "R8.3"), "applicant", _("提交申报")),
        TransitionInfo("forward", ("R6.4", "R6.5"), "reviewer", _("审核通过，报送上级")),
        TransitionInfo(
            "send_to_committee", ("R6.5", "R8.3"), "reviewer", _("审核通过，报送评委会")
        ),
        TransitionInfo("start_unit_publicity", ("R6.3",), "reviewer", _("单位公示")),
        TransitionInfo("end_unit_publicity", ("R6.3", "R9.1a"), "system", _("公示期满")),
        TransitionInfo(
            "return_for_correction", ("R6.1", "R6.6"), "reviewer", _("退回补正")
        ),
        TransitionInfo("resubmit", ("R6.1",), "applicant", _("补正后重新提交")),
        TransitionInfo(
            "resubmit_to_committee", ("R6.6",), "applicant", _("补正后重新报送评委会")
        ),
        TransitionInfo("refuse", ("R6.1", "R6.3"), "reviewer", _("不予推荐")),
        TransitionInfo("abandon", ("R6.1", "R6.6"), "system", _("逾期未补正，视为放弃")),
        TransitionInfo("accept", ("R6.6",), "committee", _("受理")),
        TransitionInfo("not_accept", ("R6.6",), "committee", _("不予受理")),
        TransitionInfo("pass_review", ("R7.3", "R7.4"), "committee", _("评审通过")),
        TransitionInfo("fail_review", ("R7.3", "R7.4"), "committee", _("评审未通过")),
        TransitionInfo("start_results_publicity", ("R8.1",), "committee", _("评审结果公示")),
        TransitionInfo("confirm", ("R8.2",), "approval", _("核准确认")),
        TransitionInfo("certify", ("R8.7",), "system", _("颁发电子证书")),
        TransitionInfo("terminate", ("R6.6", "R7.6", "R8.1"), "committee", _("终止评审")),
        TransitionInfo("withdraw", ("R5.1",), "applicant", _("撤回申报")),
    )
}

# States a declaration never leaves.
FINAL_STATES = frozenset(
    {
        State.NOT_RECOMMENDED,
        State.ABANDONED,
        State.NOT_ACCEPTED,
        State.FAILED,
        State.CERTIFIED,
        State.TERMINATED,
        State.WITHDRAWN,
    }
)

# States in which an organisation of the chain holds the declaration.
AT_STEP_STATES = frozenset({State.IN_REVIEW, State.UNIT_PUBLICITY})

# R6.6: a declaration that still fails on its third submission to the committee is
# terminated rather than returned again.
MAX_COMMITTEE_SUBMISSIONS = 3
