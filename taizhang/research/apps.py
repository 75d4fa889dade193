from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "taizhang.research"
    verbose_name = _("Research and problem solving")
