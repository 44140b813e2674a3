"""Gunicorn settings for Newsroom (`make serve`, or `gunicorn -c gunicorn.conf.py newsroom.wsgi`).

Everything can be changed from the environment; see docs/configuration.md.
"""

import gc
import os


def _bind(host: str, port: str) -> str:
    """HOST and PORT; a HOST that already names a port (127.0.0.1:8000, [::1]:8000) wins."""
    if host.count(":") == 1 or "]:" in host:
        return host
    if ":" in host and not host.startswith("["):  # a bare IPv6 address
        host = f"[{host}]"
    return f"{host}:{port}"


# Where to listen. Behind a reverse proxy on the same machine, keep 127.0.0.1.
bind = _bind(os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000"))

# Sync workers: Django's ORM is synchronous, and pages are short CPU-bound
# requests. About one or two per core; the machine this was measured on has 2.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5  # seconds; only matters without a proxy in front

# Load the application once in the master, then fork: workers share its memory
# pages and a broken deployment fails at start, not on the first request.
preload_app = True


def pre_fork(server, worker):
    """Move everything the master has loaded out of the garbage collector's sight:
    workers then never scan those ~120,000 objects in a full collection (a pause
    of milliseconds), nor touch, and so copy, the memory pages that hold them."""
    gc.freeze()


# Recycle each worker after this many requests (with jitter, so they do not
# all restart at once) to bound slow memory growth.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))

# The access log is off unless asked for ("-" for stdout, or a file path):
# a proxy or CDN in front usually keeps one already. Errors go to stderr.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Forwarded headers are trusted from the proxy on this machine only. Varnish in
# between passes on what clients send, so exactly one scheme header is believed:
# X-Forwarded-Proto, the one the proxy sets and Django's SECURE_PROXY_SSL_HEADER
# reads. gunicorn's defaults also believe X-Forwarded-Ssl and X-Forwarded-Protocol,
# and take SCRIPT_NAME from a header: one forged request would otherwise have
# Varnish cache pages whose links say https or point at another host.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
forwarder_headers = ""  # none: Newsroom is served at /, and nothing else needs one

# Gunicorn's runtime control socket (for gunicornc) only when a path is given:
# its default path in $HOME would be shared by every instance on the machine.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
