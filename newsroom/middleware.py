"""Site-wide middleware: the admin's Content-Security-Policy, and a plain 503 when the database is down."""

from __future__ import annotations

import logging

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.urls import reverse

from newsroom.views import database_unavailable

logger = logging.getLogger("newsroom.errors")


class NewsroomCSPMiddleware(CSPMiddleware):
    """django-csp's middleware: the strict CONTENT_SECURITY_POLICY everywhere,
    NEWSROOM_ADMIN_CONTENT_SECURITY_POLICY under the admin's path.

    CKEditor 4 writes inline event handlers and inline styles into the admin
    page, so the admin needs 'unsafe-inline'; readers' pages never do. A view
    that sets its own policy (django-csp's @csp decorators) still wins.
    """

    _admin_prefix: str | None = None

    def is_admin(self, request) -> bool:
        if self._admin_prefix is None:
            self._admin_prefix = reverse("admin:index")
        return request.path_info.startswith(self._admin_prefix)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and self.is_admin(request):
            parts.config = settings.NEWSROOM_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers a plain 503, not a 500 with a stack trace.

    Errors raised outside views (in other middleware) reach handler500, which
    gives the same answer (newsroom.views.server_error).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            logger.error("Database unavailable (%s %s): %s", request.method, request.path, exception)
            return database_unavailable()
        return None
