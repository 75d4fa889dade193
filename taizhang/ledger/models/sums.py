"""The roll-up totals, kept by `ledger/totals.py` in the same transaction as every write."""

from django.db import models

from taizhang.campaigns.models import (
    ActivityKind,
)
from taizhang.orgs.models import Org, Sector


class Sums(models.Model):
    """How many records, and the sums of their number fields."""

    # 64-bit: bounded records (NUMBER_MAXIMA) cannot overflow them.
    records = models.BigIntegerField(default=0)
    count = models.BigIntegerField(default=0)
    participants = models.BigIntegerField(default=0)
    person_times = models.BigIntegerField(default=0)
    days = models.BigIntegerField(default=0)
    households = models.BigIntegerField(default=0)
    copies = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class Total(Sums):
    """Roll-up totals kept by `ledger/totals.py` in the same transaction as every write.
    For each org, kind and day: the sums of the org's own records (own=True) and of all
    its descendants' records (own=False). An org's subtree figure is the sum of both rows,
    so it is read from the org's rows alone, never by walking the tree; a record adds to at
    most one row per level above it. Stats only read this table."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.ForeignKey(
        ActivityKind, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    own = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "kind", "day", "own"], name="unique_total")
        ]

    def __str__(self):
        return f"{self.org_id}/{self.kind_id}/{self.day}/{'own' if self.own else 'below'}"


class Reach(models.Model):
    """For each org and kind it has records of: how many, and the first and last day. Coverage
    ("which branches have held a lecture") reads one row per org from here instead of every
    day's row; only a period that starts after an org's first record and ends before its
    last needs that org's daily rows."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.ForeignKey(
        ActivityKind, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    records = models.IntegerField()
    first_on = models.DateField()
    last_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "org"], name="unique_reach")]

    def __str__(self):
        return f"{self.org_id}/{self.kind_id}: {self.first_on}–{self.last_on}"


class MonthReach(models.Model):
    """`Reach` month by month: for each org, kind and calendar month it has records of, how
    many and the first and last day in that month. Coverage for a month reads one row per
    org; for a week or any range, one row per month it touches, and an org's daily rows
    only when its records that month lie on both sides of the range's edge."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.ForeignKey(
        ActivityKind, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    month = models.DateField()  # its first day
    records = models.IntegerField()
    first_on = models.DateField()
    last_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "org", "month"], name="unique_month_reach")
        ]
        indexes = [models.Index(fields=["kind", "month"], name="month_reach_kind_month_idx")]

    def __str__(self):
        return f"{self.org_id}/{self.kind_id}/{self.month:%Y-%m}: {self.first_on}–{self.last_on}"


class MonthReachCount(models.Model):
    """How many active orgs of `org_kind` in an org's subtree (itself included) have a
    record of a kind in a calendar month. A month's coverage ("branches that held a
    lecture in October") is a sum over these rows: no org is visited."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.ForeignKey(
        ActivityKind, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    org_kind = models.CharField(max_length=20)
    month = models.DateField()
    orgs = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org", "kind", "month", "org_kind"], name="unique_month_reach_count"
            )
        ]

    def __str__(self):
        return f"{self.org_id}/{self.kind_id}/{self.month:%Y-%m}/{self.org_kind}: {self.orgs}"


class KindTotal(Sums):
    """An org's totals of a kind over all days (own=True: its own records; False: its
    descendants'), kept with `Total`. Every record lies inside its campaign, so these are the
    whole-campaign figures a dashboard opens with, read in one row per kind."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.ForeignKey(
        ActivityKind, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    own = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "kind", "own"], name="unique_kind_total")
        ]

    def __str__(self):
        return f"{self.org_id}/{self.kind_id}/{'own' if self.own else 'below'}"


class ReachCount(models.Model):
    """How many active orgs of `org_kind` in an org's subtree (itself included) had their
    first record of a kind on `day`. Coverage since the campaign's start ("branches that
    have held a lecture by 30 November") is a sum over these rows: no org is visited."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.ForeignKey(
        ActivityKind, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    org_kind = models.CharField(max_length=20)
    day = models.DateField()
    orgs = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org", "kind", "org_kind", "day"], name="unique_reach_count"
            )
        ]

    def __str__(self):
        return f"{self.org_id}/{self.kind_id}/{self.org_kind}/{self.day}: {self.orgs}"


# A sector system's totals: for each table above keyed by org, the same rows keyed by the
# sector, each the sum of its current members' rows (members never nest). Kept by the
# same writes, through `ledger/totals/sectors.py`.


class SectorTotal(Sums):
    sector = models.ForeignKey(Sector, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.ForeignKey(
        ActivityKind, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    own = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "kind", "day", "own"], name="unique_sector_total"
            )
        ]

    def __str__(self):
        return f"{self.sector_id}/{self.kind_id}/{self.day}/{'own' if self.own else 'below'}"


class SectorKindTotal(Sums):
    sector = models.ForeignKey(Sector, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.ForeignKey(
        ActivityKind, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    own = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "kind", "own"], name="unique_sector_kind_total"
            )
        ]

    def __str__(self):
        return f"{self.sector_id}/{self.kind_id}/{'own' if self.own else 'below'}"


class SectorReachCount(models.Model):
    sector = models.ForeignKey(Sector, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.ForeignKey(
        ActivityKind, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    org_kind = models.CharField(max_length=20)
    day = models.DateField()
    orgs = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "kind", "org_kind", "day"], name="unique_sector_reach_count"
            )
        ]

    def __str__(self):
        return f"{self.sector_id}/{self.kind_id}/{self.org_kind}/{self.day}: {self.orgs}"


class SectorMonthReachCount(models.Model):
    sector = models.ForeignKey(Sector, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.ForeignKey(
        ActivityKind, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    org_kind = models.CharField(max_length=20)
    month = models.DateField()
    orgs = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "kind", "month", "org_kind"],
                name="unique_sector_month_reach_count",
            )
        ]

    def __str__(self):
        return f"{self.sector_id}/{self.kind_id}/{self.month:%Y-%m}/{self.org_kind}: {self.orgs}"
