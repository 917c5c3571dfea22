"""The questions every layer asks of a request, answered once.

- :func:`is_admin_request`: is it for the admin (under ``settings.ADMIN_URL``, whatever that
  is)? Used by the public-site guard, the page cache, the HTTP caching headers and the
  database router.
- :func:`is_signed_in`: is a signed-in user behind it? Looks the user up only when a session
  cookie came in, so anonymous requests cost no query.
- :func:`wrote_recently`: did this browser write (an admin save, a login: any POST) in the
  last ``READ_YOUR_WRITES_SECONDS``? Its reads then go to the primary whatever the path, so
  it sees its own write at once (read-your-writes), not a replica that lags behind.
- :func:`is_public_request`: a read of the public site by an anonymous visitor (GET or HEAD,
  outside the admin, nobody signed in, no recent write): what may be cached and read from a
  replica.
- :func:`client_ip`: the visitor's address for django-axes.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest

SAFE_METHODS = ("GET", "HEAD")


def admin_prefix() -> str:
    return "/" + settings.ADMIN_URL.lstrip("/")


def is_admin_path(path: str) -> bool:
    return path.startswith(admin_prefix())


def is_admin_request(request: HttpRequest) -> bool:
    return is_admin_path(request.path_info)


def is_signed_in(request: HttpRequest) -> bool:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


# Set on the answer to any write (meetings.middleware.ReplicaReadsMiddleware); its value is
# the time (Unix seconds) until which this browser reads the primary.
WROTE_COOKIE = "km_wrote"


def wrote_recently(request: HttpRequest) -> bool:
    raw = request.COOKIES.get(WROTE_COOKIE, "")
    try:
        return float(raw) > time.time()
    except ValueError:
        return False


def is_public_request(request: HttpRequest) -> bool:
    return (
        request.method in SAFE_METHODS
        and not is_admin_request(request)
        and not wrote_recently(request)
        and not is_signed_in(request)
    )


def client_ip(request: HttpRequest) -> str:
    """The visitor's address for django-axes: X-Real-IP from the proxy when
    TRUST_X_REAL_IP is on (docker-compose.yml's nginx sets it), else REMOTE_ADDR."""
    if settings.TRUST_X_REAL_IP:
        forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")
