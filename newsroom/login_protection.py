"""The client address django-axes counts failed logins against."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind our proxy the address the proxy saw.

    Only when the settings already trust the proxy (BEHIND_PROXY sets
    SECURE_PROXY_SSL_HEADER) is X-Forwarded-For believed, and only its last
    entry: that one the proxy appended; anything before it the client wrote.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.SECURE_PROXY_SSL_HEADER and forwarded.strip():
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
