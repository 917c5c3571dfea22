from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = _("Kremlin meetings")

    def ready(self):
        from meetings import caching  # noqa: F401  (admin changes invalidate cached pages)
