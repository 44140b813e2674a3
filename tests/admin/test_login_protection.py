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


def test_the_address_is_the_proxy_s_view_only_behind_a_trusted_proxy(settings):
    request = HttpRequest()
    request.META = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7"}
    settings.SECURE_PROXY_SSL_HEADER = None
    assert client_ip(request) == "10.0.0.2"  # not behind a proxy: the header is the client's own words
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client_ip(request) == "203.0.113.7"  # the entry our proxy appended, not the forged first one
