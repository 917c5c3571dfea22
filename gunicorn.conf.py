"""gunicorn settings for Kremlin Meetings: `gunicorn -c gunicorn.conf.py`.

The Dockerfile, docker-compose.yml and the README all start the app with this file. Each value
can be overridden from the environment (the names are gunicorn's own where it has one).

Workers are threaded (``gthread``): a slow or idle client holds one thread, not a whole
process, and a buffering proxy (nginx in docker-compose.yml) sits in front in production.
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r} is not a whole number.") from None


wsgi_app = "kremlin_meetings.wsgi:application"
bind = os.environ.get("GUNICORN_BIND") or (
    f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
)
# Two processes a core (plus one) is gunicorn's own advice for a mostly-waiting web app;
# each has GUNICORN_THREADS threads, so a slow client holds a thread, not a process.
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
# A request that takes longer than this is killed and logged; kremlin pages render in ms.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Keep-alive connections from the proxy are cheap with threads.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so no slow leak grows without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)
# Headers bounded: a client cannot make a worker buffer megabytes of header lines.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# "-" is standard output; an empty value turns the access log off.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Behind the proxy in docker-compose.yml; X-Forwarded-* is trusted only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# gunicorn's control socket sits at one path per user: two servers on one machine (or a
# test beside a running site) would fight over it, and nothing here uses it.
control_socket_disable = True
