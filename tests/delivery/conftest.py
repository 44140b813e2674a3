"""A real HTTP server on 127.0.0.1 (a random port, in a thread) standing in for webhook receivers
and CDN purge endpoints: it records every request and answers with the status it is told."""

import contextlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from tests.local_server import local_http_server


class Recorded:
    def __init__(self, method, path, headers, body):
        self.method, self.path, self.headers, self.body = method, path, headers, body


class Endpoint(BaseHTTPRequestHandler):
    def handle_one_request(self):
        with contextlib.suppress(ConnectionError):  # the client gave up (a timeout test)
            super().handle_one_request()

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.requests.append(Recorded(self.command, self.path, dict(self.headers), body))
        if self.server.hang:
            self.server.release.wait(30)  # a server that accepts and never answers
        self.send_response(self.server.status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_POST = do_PURGE = do_BAN = do_GET = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    with local_http_server(Endpoint, status=200, hang=False) as server:
        yield server


@pytest.fixture
def dead_port():
    """A port nothing listens on: connections are refused at once."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    port = server.server_address[1]
    server.server_close()
    return port


@pytest.fixture
def webhooks_to_this_machine(settings, endpoint):
    """Tests only: let webhooks reach the local test server (production refuses loopback and odd ports)."""
    settings.NEWSROOM_WEBHOOK_ALLOW_PRIVATE = True
    settings.NEWSROOM_WEBHOOK_ALLOWED_PORTS = [endpoint.port]
    settings.NEWSROOM_SITE_URL = "http://testserver"
    return endpoint


@pytest.fixture
def dummy_tasks(settings):
    """Jobs are recorded, not run (django-tasks' dummy backend, which keeps run_after): a test runs them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()
    return default_task_backend


def run_due(backend):
    """Run the jobs the dummy backend holds that are due (no run_after, or one now past), in order,
    and those they queue that are due, until none is; jobs waiting for a later time stay queued."""
    ran = []
    while due := [r for r in backend.results if r.task.run_after is None or r.task.run_after <= timezone.now()]:
        backend.results.remove(due[0])
        ran.append((due[0].task.name, due[0].task.call(*due[0].args, **due[0].kwargs)))
    return ran
