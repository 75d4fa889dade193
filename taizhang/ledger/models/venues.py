"""Venues (阵地): red education bases, service centres, distance-education stations and lecture
halls, shared with everyone below their owner."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from taizhang.audit.snapshots import snapshot
from taizhang.orgs.models import Org, Sector
from taizhang.orgs.scope import Scope


class VenueKind(models.TextChoices):
    RED_BASE = "red_base", _("Red education base")
    SERVICE_CENTRE = "service_centre", _("Party and public service centre")
    DISTANCE_STATION = "distance_station", _("Distance-education station")
    LECTURE_HALL = "lecture_hall", _("Lecture hall")


class VenueTier(models.TextChoices):
    CITY_MODEL = "city_model", _("City-level model base")
    CITY = "city", _("City level")
    DISTRICT = "district", _("District level")
    TOWN = "town", _("Town level")
    VILLAGE = "village", _("Village level")


class VenueQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Venues are shared with everyone below their owner: a village may take its members
        to the city's red base. So a user sees the venues owned inside their scope and those
        owned by the orgs above it (never a sibling's)."""
        scope = Scope.of(user)
        return self.none() if scope.is_empty else self.filter(scope.q_or_above("owner__path"))


class Venue(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=VenueKind.choices)
    tier = models.CharField(_("tier"), max_length=20, choices=VenueTier.choices)
    owner = models.ForeignKey(
        Org, verbose_name=_("owning organisation"), on_delete=models.PROTECT, related_name="venues"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    objects = VenueQuerySet.as_manager()

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["kind", "code"]
        indexes = [models.Index(fields=["kind", "tier"], name="venue_kind_tier_idx")]

    def __str__(self):
        return self.name

    def snapshot(self):
        return snapshot(self, ["code", "name", "kind", "tier", "owner", "address", "active"])


class VenueCount(models.Model):
    """How many active venues of a kind and tier are owned in an org's subtree (itself
    included), kept by the venue services and the tree's moves: a dashboard's venue
    figures are read from one org's rows."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=20, choices=VenueKind.choices)
    tier = models.CharField(max_length=20, choices=VenueTier.choices)
    venues = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "kind", "tier"], name="unique_venue_count")
        ]

    def __str__(self):
        return f"{self.org_id}/{self.kind}/{self.tier}: {self.venues}"


class SectorVenueCount(models.Model):
    """`VenueCount` for a sector system: the sum of its current members' rows."""

    sector = models.ForeignKey(Sector, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=20, choices=VenueKind.choices)
    tier = models.CharField(max_length=20, choices=VenueTier.choices)
    venues = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "kind", "tier"], name="unique_sector_venue_count"
            )
        ]

    def __str__(self):
        return f"{self.sector_id}/{self.kind}/{self.tier}: {self.venues}"
