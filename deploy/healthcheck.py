"""Compose's healthcheck for the web service: exit 0 when /healthz answers 200.

It asks as the site's first ALLOWED_HOSTS name (Django refuses other hosts), straight to
gunicorn inside the container; /healthz is exempt from the HTTPS redirect.
"""

import os
import sys
import urllib.request

host = (os.environ.get("ALLOWED_HOSTS") or "localhost").split(",")[0].strip().lstrip(".")
port = os.environ.get("PORT", "8000")
request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": host})
try:
    with urllib.request.urlopen(request, timeout=5) as response:
        sys.exit(0 if response.status == 200 else 1)
except Exception as error:  # any failure is "unhealthy"; say why in `docker inspect`
    print(f"healthz: {error}", file=sys.stderr)
    sys.exit(1)
