"""Every write of the research records (the problem list, lagging villages, research topics
and reports) goes through these functions, one module per feature: each runs in one
transaction, checks the actor's rights, scope and the lifecycle, writes the change history
(who, when, before and after) and passes what the record counts to the roll-up totals."""

from taizhang.research.services.problems import (
    NEXT,
    close,
    raise_problem,
    reopen,
    resolve,
    start,
)
from taizhang.research.services.rectifications import (
    RECTIFICATION_STEPS,
    advance_rectification,
    identify_lagging_village,
)
from taizhang.research.services.reports import (
    FINDINGS_KINDS,
    TOPIC_KINDS,
    claim_topic,
    discuss_reports,
    drop_topic,
    link_to_topic,
    submit_report,
    submit_reports,
    update_report,
    withdraw_report,
)

__all__ = [
    "FINDINGS_KINDS",
    "NEXT",
    "RECTIFICATION_STEPS",
    "TOPIC_KINDS",
    "advance_rectification",
    "claim_topic",
    "close",
    "discuss_reports",
    "drop_topic",
    "identify_lagging_village",
    "link_to_topic",
    "raise_problem",
    "reopen",
    "resolve",
    "start",
    "submit_report",
    "submit_reports",
    "update_report",
    "withdraw_report",
]
