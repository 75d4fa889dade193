from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "taizhang.stats"
    verbose_name = _("Statistics")

    def ready(self):
        from taizhang.office import recipients

        recipients.GAP_LIST[:] = [gap_list]


def gap_list(user, metric, org, period_code):
    """The ids of the orgs under `org` on `metric`'s gap list for the period, and how the
    choice reads ("专题党课基层党组织覆盖率未达到的 3 个单位（石碶街道，整个活动期间）")."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from taizhang.stats import coverage, periods

    try:
        period = periods.parse(metric.campaign, period_code)
    except ValueError:
        raise ValidationError({"period": _("No such period.")}) from None
    ids, total = coverage.gap_ids(metric, org, period)
    return ids, _("%(n)s not yet meeting “%(metric)s” (%(org)s, %(period)s)") % {
        "n": total, "metric": metric.name, "org": org.name, "period": period.label}  # fmt: skip
