"""Who a notice goes to: a subtree (its orgs of some kinds), a list of codes, or everyone
on a coverage metric's gap list. The gap list is the statistics app's, which sits above
this one: it registers `GAP_LIST` when it loads (stats/apps.py)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from taizhang.orgs.models import Org, OrgKind
from taizhang.orgs.scope import in_subtree

# (user, metric, org, period code) -> (gap org ids, a description); set by stats.
GAP_LIST = []

SUBTREE, CODES, GAPS = "subtree", "codes", "gaps"


def in_subtree_of_kinds(sender, under, kinds):
    """The active orgs strictly below `sender` in `under`'s subtree, of `kinds` (any if
    empty)."""
    orgs = Org.objects.filter(in_subtree(under, "path"), active=True).exclude(pk=sender.pk)
    orgs = orgs.filter(path__startswith=sender.path)
    if kinds:
        orgs = orgs.filter(kind__in=kinds)
    names = "、".join(str(OrgKind(k).label) for k in kinds) or _("all organisations")
    return list(orgs.order_by("path")), _("%(names)s under %(org)s") % {
        "names": names, "org": under.name}  # fmt: skip


def by_codes(user, text):
    """The orgs named by codes (one per line, or separated by commas or spaces), every one
    in the user's scope; ValidationError names the unknown ones."""
    import re

    codes = [c for c in re.split(r"[\s,，、;；]+", text or "") if c]
    if not codes:
        raise ValidationError({"codes": _("Write at least one code.")})
    if len(codes) > 5000:
        raise ValidationError({"codes": _("At most 5000 codes.")})
    found = {o.code: o for o in Org.objects.visible_to(user).filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError(
            {"codes": _("No organisation in your scope has the code %(codes)s.") % {
                "codes": "、".join(unknown[:20])}}
        )  # fmt: skip
    orgs = list({found[c].pk: found[c] for c in codes}.values())
    return orgs, _("%(n)s organisations by code") % {"n": len(orgs)}


def on_gap_list(user, metric, org, period):
    if not GAP_LIST:
        raise ValidationError(_("Gap lists are not available."))
    ids, description = GAP_LIST[0](user, metric, org, period)
    if not ids:
        raise ValidationError({"metric": _("Nobody is on this gap list: everyone has met it.")})
    return list(Org.objects.filter(pk__in=ids).order_by("path")), description
