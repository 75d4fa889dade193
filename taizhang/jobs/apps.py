from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "taizhang.jobs"
    verbose_name = _("Background work")

    def ready(self):
        # Each app's `jobs.py` registers the work it can run in the background.
        autodiscover_modules("jobs")
