from django.db.backends.postgresql import base

from kremlin_meetings.embedded_postgres.server import ensure_server


class DatabaseWrapper(base.DatabaseWrapper):
    """Django's PostgreSQL backend, pointed at the embedded server once it is running."""

    def get_connection_params(self):
        self.settings_dict["HOST"] = str(ensure_server(self.settings_dict["PGDATA"]))
        return super().get_connection_params()
