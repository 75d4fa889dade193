from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "taizhang.orgs"
    verbose_name = _("Organisations")

    def ready(self):
        from taizhang import lookups  # noqa: F401  registers field__any
