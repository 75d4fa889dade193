from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "taizhang.study"
    verbose_name = _("Study")

    def ready(self):
        from taizhang.campaigns import sections
        from taizhang.study import readings

        _register_sources()
        sections.register(
            sections.Section("reading", readings.apply, readings.summary, readings.count)
        )


def _register_sources():
    """The study records the statistics engine counts (see `campaigns/sources.py`)."""
    from taizhang.campaigns.sources import Source, one, register
    from taizhang.study.models import ReadingClass, RoleModel

    register(
        Source(
            "role_models",
            _("Role models"),
            RoleModel,
            lambda m: one(m.campaign_id, m.org, m.shared_on),
            lambda: RoleModel.objects.select_related("org"),
        )
    )
    from django.utils import timezone

    from taizhang.study.models import GroupViewing, Viewing

    register(
        Source(
            "course_views",
            _("Course views"),
            Viewing,
            lambda v: one(v.course.campaign_id, v.org, timezone.localdate(v.started_at)),
            lambda: Viewing.objects.select_related("course", "org"),
        )
    )
    register(
        Source(
            "course_group_viewings",
            _("Group viewings of courses"),
            GroupViewing,
            lambda g: one(g.course.campaign_id, g.org, g.viewed_on, person_times=g.person_times),
            lambda: GroupViewing.objects.select_related("course", "org"),
        )
    )
    # The codes "reading_sessions" and "reading_topics" are kept: campaign files name them.
    register(
        Source(
            "reading_sessions",
            _("Reading class sessions"),
            ReadingClass,
            lambda c: one(
                c.campaign_id, c.org, c.starts_on, participants=c.trainees.count(), days=c.days
            ),
            lambda: ReadingClass.objects.select_related("org"),
        )
    )
    register(
        Source(
            "reading_topics",
            _("Reading class topics"),
            ReadingClass,
            lambda c: one(c.campaign_id, c.org, c.starts_on, count=len(c.topics)),
            lambda: ReadingClass.objects.select_related("org"),
        )
    )
