"""The roll-up totals, kept by the ledger's services inside their transaction:

- `Total` (org, kind, day, own): a record adds to its org's own row and to one "below" row of
  each ancestor, for its kind and its first day;
- `KindTotal` (org, kind, own): the same over all days;
- `Reach` (org, kind): how many records an org has of a kind, first and last day;
- `ReachCount` (org, kind, org kind, day): how many orgs of each kind in the subtree had
  their first record of a kind that day.

Changes are summed in a `Tally` first, so an import of 100,000 records writes each row once.
`rebuild` recomputes everything from the records and reports any drift."""

from taizhang.ledger.totals.changes import (
    add_activity,
    count_member,
    counted,
    move_subtree,
    reclassify,
    recount,
    replace_activity,
)
from taizhang.ledger.totals.rebuild import rebuild, rebuild_everything
from taizhang.ledger.totals.tally import Tally

__all__ = [
    "Tally",
    "add_activity",
    "count_member",
    "counted",
    "move_subtree",
    "rebuild",
    "rebuild_everything",
    "reclassify",
    "recount",
    "replace_activity",
]
