"""Failed admin logins are throttled per username and address pair (django-axes)."""

import datetime

import pytest
import time_machine
from django.http import HttpRequest
from django.urls import reverse

from newsroom.login_protection import client_ip
from tests.factories import make_user

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")


def log_in(client, username, password, address):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address)


def test_failures_lock_one_username_from_one_address_only(client, django_user_model, settings):
    settings.AXES_FAILURE_LIMIT = 3
    make_user(django_user_model, "editor")
    make_user(django_user_model, "writer")
    for _ in range(2):
        response = log_in(client, "editor", "wrong", "203.0.113.7")
        assert response.status_code == 200  # the login form again, with its error
    assert log_in(client, "editor", "wrong", "203.0.113.7").status_code == 429  # the third failure locks

    locked = log_in(client, "editor", "pw-editor", "203.0.113.7")  # even the right password
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session

    assert log_in(client, "editor", "pw-editor", "198.51.100.20").status_code == 302  # same name, elsewhere
    client.logout()
    assert log_in(client, "writer", "pw-writer", "203.0.113.7").status_code == 302  # same place, other name


def test_the_lock_lifts_after_the_cool_off(client, django_user_model, settings):
    settings.AXES_FAILURE_LIMIT = 2
    make_user(django_user_model, "editor")
    start = datetime.datetime(2030, 1, 1, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        log_in(client, "editor", "wrong", "203.0.113.7")
        log_in(client, "editor", "wrong", "203.0.113.7")
        assert log_in(client, "editor", "pw-editor", "203.0.113.7").status_code == 429
    with time_machine.travel(start + settings.AXES_COOLOFF_TIME + datetime.timedelta(seconds=1), tick=False):
        assert log_in(client, "editor", "pw-editor", "203.0.113.7").status_code == 302


def test_client_login_works_with_axes_off_as_settings_say(client, django_user_model, settings):
    # Axes needs the request to authenticate; the test client's login() does not
    # pass one, so tests that use it switch axes off (force_login needs nothing).
    settings.AXES_ENABLED = False
    make_user(django_user_model, "editor")
    assert client.login(username="editor", password="pw-editor")


def request_from(remote_addr: str, forwarded_for: str = "") -> HttpRequest:
    request = HttpRequest()
    request.META = {"REMOTE_ADDR": remote_addr}
    if forwarded_for:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return request


@pytest.fixture
def behind_proxies(settings):
    """BEHIND_PROXY on, and the given proxy addresses trusted (NEWSROOM_TRUSTED_PROXIES)."""

    def trust(*proxies: str) -> None:
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        settings.NEWSROOM_TRUSTED_PROXIES = list(proxies)

    return trust


# Each chain as gunicorn sees it: REMOTE_ADDR is the last hop, X-Forwarded-For what the hops before
# it appended, after whatever the client wrote itself ("6.6.6.6", a forgery).
@pytest.mark.parametrize(
    ("proxies", "remote_addr", "forwarded_for"),
    [
        pytest.param((), "203.0.113.7", "6.6.6.6", id="gunicorn-direct"),
        pytest.param(("127.0.0.1", "::1"), "127.0.0.1", "6.6.6.6, 203.0.113.7", id="nginx-gunicorn"),
        pytest.param(("127.0.0.1", "::1"), "127.0.0.1", "6.6.6.6, 203.0.113.7, 127.0.0.1", id="tls-varnish-gunicorn"),
        pytest.param(("10.0.0.0/24",), "10.0.0.3", "6.6.6.6, 203.0.113.7, 10.0.0.2", id="proxies-on-other-machines"),
        pytest.param(("127.0.0.1", "2001:db8::/32"), "127.0.0.1", "203.0.113.7, 2001:db8::1", id="cdn-nginx-gunicorn"),
    ],
)
def test_the_address_is_the_first_one_no_trusted_proxy_wrote(behind_proxies, proxies, remote_addr, forwarded_for):
    behind_proxies(*proxies)
    assert client_ip(request_from(remote_addr, forwarded_for)) == "203.0.113.7"


def test_a_client_reaching_gunicorn_directly_cannot_choose_its_address(behind_proxies):
    behind_proxies("127.0.0.1", "::1")
    assert client_ip(request_from("198.51.100.9", "203.0.113.7")) == "198.51.100.9"
    assert client_ip(request_from("198.51.100.9", "203.0.113.7, 127.0.0.1")) == "198.51.100.9"


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.NEWSROOM_TRUSTED_PROXIES = []
    assert client_ip(request_from("10.0.0.2", "6.6.6.6, 203.0.113.7")) == "10.0.0.2"


def test_a_garbled_entry_ends_the_walk_at_the_last_real_address(behind_proxies):
    # A trusted proxy only ever appends real addresses; anything else came from the client.
    behind_proxies("127.0.0.1")
    assert client_ip(request_from("127.0.0.1", "203.0.113.7, unknown, 127.0.0.1")) == "127.0.0.1"


def test_strangers_behind_the_two_hop_chain_cannot_lock_an_editor_out(client, django_user_model, behind_proxies):
    behind_proxies("127.0.0.1", "::1")
    make_user(django_user_model, "editor")

    def via_tls_proxy_and_varnish(username, password, address, forged=""):
        forwarded = ", ".join(part for part in (forged, address, "127.0.0.1") if part)
        return client.post(
            LOGIN,
            {"username": username, "password": password, "next": "/admin/"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
            HTTP_X_FORWARDED_PROTO="https",
            secure=True,
        )

    for _ in range(6):
        via_tls_proxy_and_varnish("editor", "wrong", "198.51.100.66", forged="203.0.113.7")
    assert via_tls_proxy_and_varnish("editor", "wrong", "198.51.100.66").status_code == 429  # the guesser is locked
    assert via_tls_proxy_and_varnish("editor", "pw-editor", "203.0.113.7").status_code == 302  # the editor is not
