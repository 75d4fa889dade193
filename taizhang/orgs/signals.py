"""Signals for the apps that build on the org tree (orgs imports none of them)."""

from django.dispatch import Signal

# Sent inside move_org's transaction after an org moved with its subtree, with `org`,
# `old_ancestor_ids` and `new_ancestor_ids`: the ledger's roll-up totals follow the move.
subtree_moved = Signal()

# Sent inside update_org's transaction when an org's kind or active flag changed, with `org`,
# `before` and `after` as (kind, active): coverage counts follow.
org_reclassified = Signal()

# Sent inside assign_liaison's and end_liaison's transactions with `liaison` and `assigned`
# (True when assigned, False just before it is ended): the statistics count town adoptions.
liaison_changed = Signal()

# Sent inside the sector services' transactions when an org joined (`sign` 1) or left (-1)
# a sector system, with `sector_id` and `org_id`: the ledger's sector twins follow.
sector_membership_changed = Signal()
