from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from taizhang import params
from taizhang.audit.snapshots import snapshot
from taizhang.orgs.scope import Scope, in_subtree


class OrgKind(models.TextChoices):
    PROVINCE_COMMITTEE = "province_committee", _("Provincial committee")
    CITY_COMMITTEE = "city_committee", _("City committee")
    DISTRICT = "district", _("District or county-level city")
    DEV_ZONE = "dev_zone", _("Development zone")
    CITY_UNIT = "city_unit", _("City-level unit")
    TOWN = "town", _("Town or subdistrict")
    VILLAGE = "village", _("Village")
    COMMUNITY = "community", _("Community")
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    PARTY_GROUP = "party_group", _("Party group")
    GENERAL_BRANCH = "general_branch", _("General party branch")
    BRANCH = "branch", _("Party branch")
    OTHER = "other", _("Other")


class Rank(models.TextChoices):
    PROVINCE = "province", _("Province or ministry level")
    BUREAU = "bureau", _("Bureau level (city-managed)")
    COUNTY = "county", _("County or division level")
    TOWNSHIP = "township", _("Township or section level")
    OTHER = "other", _("Other")


# Ranks of the campaign's focus group (县处级以上领导干部).
FOCUS_RANKS = (Rank.PROVINCE, Rank.BUREAU, Rank.COUNTY)


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    REPORTER = "reporter", _("Reporter")
    MANAGER = "manager", _("Manager")


ROLE_LEVEL = {Role.VIEWER: 1, Role.REPORTER: 2, Role.MANAGER: 3}


class ScopedQuerySetMixin:
    """`visible_to(user)`: the rows in the user's scope (orgs/scope.py), by the tree path
    at `scope_path_field`."""

    scope_path_field = "org__path"
    # Whether a responsible department's users read these rows in their sectors' members.
    read_in_sectors = True

    def visible_to(self, user):
        scope = Scope.of(user)
        if scope.is_empty:
            return self.none()
        q = scope.q if self.read_in_sectors else scope.q_own
        return self.filter(q(self.scope_path_field))


class OrgQuerySet(ScopedQuerySetMixin, MP_NodeQuerySet):
    scope_path_field = "path"


class OrgManager(MP_NodeManager):
    def get_queryset(self):
        return OrgQuerySet(self.model, using=self._db).order_by("path")

    def visible_to(self, user):
        return self.get_queryset().visible_to(user)


ORG_SNAPSHOT = ["name", "short_name", "code", "kind", "active"]


class Org(MP_Node):
    """A node of the org tree. Orgs are never deleted once they hold records: they are
    deactivated, and moving one keeps its id, so everything recorded on it stays with it."""

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices)
    active = models.BooleanField(_("active"), default=True)

    objects = OrgManager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        # Counting the orgs of some kinds under a path reads this index alone. On PostgreSQL
        # the pattern operator classes let `path LIKE 'prefix%'` use it under any collation.
        indexes = [
            models.Index(
                fields=["kind", "active", "path"],
                name="org_kind_active_path_idx",
                opclasses=["varchar_pattern_ops", "bool_ops", "varchar_pattern_ops"],
            ),
            # An org's children, or every org at one depth under it.
            models.Index(
                fields=["depth", "path"],
                name="org_depth_path_idx",
                opclasses=["int4_ops", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def label(self):
        return self.short_name or self.name

    def children_in_order(self):
        """The org's children in tree order (by depth and path prefix: one index range)."""
        return Org.objects.filter(in_subtree(self, "path"), depth=self.depth + 1)

    def ancestor_paths(self):
        return [self.path[: i * self.steplen] for i in range(1, self.depth)]

    def breadcrumb(self, user=None):
        """Ancestors from the top of the user's scope down to this org (one query)."""
        paths = self.ancestor_paths()
        if user is not None and not user.is_superuser and user.org_id:
            paths = [p for p in paths if p.startswith(user.org.path)]
        return list(Org.objects.filter(path__in=paths).order_by("depth")) if paths else []

    def snapshot(self):
        parent = Org.objects.get_parent(self) if self.depth > 1 else None
        return snapshot(self, ORG_SNAPSHOT, parent=parent)


class PersonQuerySet(ScopedQuerySetMixin, models.QuerySet):
    def focus_group(self):
        return self.filter(rank__in=FOCUS_RANKS)


class Person(models.Model):
    """A leading cadre or party member, on the org where they serve."""

    code = models.CharField(_("person number"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50)
    org = models.ForeignKey(Org, verbose_name=_("organisation"), on_delete=models.PROTECT)
    title = models.CharField(_("position"), max_length=100, blank=True)
    rank = models.CharField(_("rank"), max_length=10, choices=Rank.choices, default=Rank.OTHER)
    is_party_member = models.BooleanField(_("party member"), default=True)
    standing_committee = models.BooleanField(
        _("member of the standing committee"),
        default=False,
        help_text=_("A member of the standing committee of the org's party committee (常委)."),
    )
    active = models.BooleanField(_("active"), default=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["org__path", "id"]
        indexes = [models.Index(fields=["rank"], name="person_rank_idx")]

    def __str__(self):
        return self.name

    @property
    def is_focus(self):
        return self.rank in FOCUS_RANKS

    def snapshot(self):
        return snapshot(
            self,
            ["code", "name", "org", "title", "rank", "is_party_member"]
            + ["standing_committee", "active"],
        )


class UserQuerySet(ScopedQuerySetMixin, models.QuerySet):
    read_in_sectors = False  # users are managed, not read, beyond the own subtree


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in. Their scope is the subtree of `org`; their role says what they
    may do there. Superusers (the operator) have no org and see everything."""

    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    org = models.ForeignKey(
        Org,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)

    objects = ScopedUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_superuser=True) | models.Q(org__isnull=False),
                name="user_has_org_unless_superuser",
                violation_error_message=_("A user belongs to an organisation."),
            )
        ]

    def __str__(self):
        return self.display_name or self.username

    @property
    def role_level(self):
        if self.is_superuser:
            return 99
        return ROLE_LEVEL.get(self.role, 0)

    @property
    def can_record(self):
        return self.is_active and self.role_level >= ROLE_LEVEL[Role.REPORTER]

    @property
    def can_manage(self):
        return self.is_active and self.role_level >= ROLE_LEVEL[Role.MANAGER]

    def grantable_roles(self):
        """Roles this user may give: none above their own."""
        return [r for r in Role if ROLE_LEVEL[r] <= self.role_level]

    def snapshot(self):
        return snapshot(self, ["username", "display_name", "org", "role", "is_active"])


class SubtreeCount(models.Model):
    """How many active orgs of each kind an org's subtree holds (itself included), kept by
    `orgs/services.py` on every change to the tree: coverage and averages divide by these
    without counting the tree."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=20, choices=OrgKind.choices)
    orgs = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "kind"], name="unique_subtree_count")]

    def __str__(self):
        return f"{self.org_id}/{self.kind}: {self.orgs}"


class LiaisonKind(models.TextChoices):
    GUIDANCE = "guidance", _("Liaison and guidance")
    ADOPTION = "adoption", _("Town adoption")


class LiaisonQuerySet(ScopedQuerySetMixin, models.QuerySet):
    pass


class Liaison(models.Model):
    """A leader assigned to an org: to guide it (联系指导), or to adopt a town and visit every
    village and community in it (包乡走村)."""

    person = models.ForeignKey(
        Person, verbose_name=_("leader"), on_delete=models.PROTECT, related_name="liaisons"
    )
    org = models.ForeignKey(
        Org, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="liaisons"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LiaisonKind.choices)
    started_on = models.DateField(_("assigned on"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = LiaisonQuerySet.as_manager()

    class Meta:
        verbose_name = _("liaison")
        verbose_name_plural = _("liaisons")
        ordering = ["person__code", "kind", "org__path"]
        constraints = [
            models.UniqueConstraint(fields=["person", "org", "kind"], name="unique_liaison")
        ]

    def __str__(self):
        return f"{self.person} → {self.org} ({self.get_kind_display()})"

    def clean(self):
        # A liaison belongs to no campaign; its date lies in the range any date may take.
        if self.started_on is not None and not params.in_range(self.started_on):
            raise ValidationError(
                {
                    "started_on": _("between %(first)s and %(last)s")
                    % {"first": params.FIRST_DAY, "last": params.LAST_DAY}
                }
            )

    def snapshot(self):
        return snapshot(self, ["person", "org", "kind", "started_on", "note"])


class SectorQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The sectors a user may open: every one for the operator; otherwise those whose
        responsible department they may read, or with a current member they may read or
        that holds their org (a unit of the system)."""
        scope = Scope.of(user)
        if scope.is_empty:
            return self.none()
        if scope.path == "":
            return self
        members = SectorMember.objects.current().filter(
            scope.q("org__path")
            | models.Q(org__path__in=[*user.org.ancestor_paths(), user.org.path])
        )
        return self.filter(
            scope.q("department__path") | models.Q(pk__in=members.values("sector_id"))
        )


class Sector(models.Model):
    """A sector system (行业系统, 条块结合): units across the territorial tree that a responsible
    department (主管部门, itself an org) answers for, such as the education or the health
    system. Its figures are the sums of its current members' subtrees; members never nest
    (no member lies in another's subtree), so nothing is counted twice."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    department = models.ForeignKey(
        Org,
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="sectors_led",
    )

    objects = SectorQuerySet.as_manager()

    class Meta:
        verbose_name = _("sector system")
        verbose_name_plural = _("sector systems")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def snapshot(self):
        return snapshot(self, ["code", "name", "department"])


class SectorMemberQuerySet(ScopedQuerySetMixin, models.QuerySet):
    def current(self):
        return self.filter(left_on__isnull=True)


class SectorMember(models.Model):
    """An org's membership of a sector system, kept with its history: leaving sets
    `left_on` and keeps the row; joining again adds a new one."""

    sector = models.ForeignKey(
        Sector, verbose_name=_("sector system"), on_delete=models.PROTECT, related_name="members"
    )
    org = models.ForeignKey(
        Org, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="memberships"
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = SectorMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("sector membership")
        verbose_name_plural = _("sector memberships")
        ordering = ["sector__code", "org__path", "-joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "org"],
                condition=models.Q(left_on__isnull=True),
                name="unique_current_sector_member",
                violation_error_message=_("This organisation is already a member of the system."),
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="sector_member_leaves_after_joining",
                violation_error_message=_("An organisation leaves a system after joining it."),
            ),
        ]
        indexes = [models.Index(fields=["org", "sector"], name="sector_member_org_idx")]

    def __str__(self):
        return f"{self.org} ∈ {self.sector}"

    def snapshot(self):
        return snapshot(self, ["sector", "org", "joined_on", "left_on"])


class SectorCount(models.Model):
    """`SubtreeCount` for a sector system: the active orgs of each kind in its current
    members' subtrees, kept with the subtree counts on every change to the tree and to the
    membership."""

    sector = models.ForeignKey(Sector, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=20, choices=OrgKind.choices)
    orgs = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sector", "kind"], name="unique_sector_count")
        ]

    def __str__(self):
        return f"{self.sector_id}/{self.kind}: {self.orgs}"
