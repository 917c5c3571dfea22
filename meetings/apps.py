from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = _("Kremlin meetings")

    def ready(self) -> None:
        """Connect the listeners of ``data_changed`` (in this order: the aggregates are
        refreshed before the cached pages are retired) and the admin's announcement."""
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import post_save

        from meetings import caching, differences, signals
        from meetings.models import aggregates

        signals.data_changed.connect(
            aggregates.refresh_on_change, dispatch_uid="meetings.aggregates.refresh"
        )
        signals.data_changed.connect(
            differences.refresh_on_change, dispatch_uid="meetings.differences.refresh"
        )
        signals.data_changed.connect(caching.retire_pages, dispatch_uid="meetings.caching.retire")
        post_save.connect(
            signals.admin_change, sender=LogEntry, dispatch_uid="meetings.signals.admin_change"
        )
