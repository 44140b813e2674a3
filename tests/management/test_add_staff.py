"""manage.py add_staff: writers and editors from the command line, never superusers, no password in argv."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.editorial import workflow
from articles.models import Author
from tests.factories import make_author

pytestmark = pytest.mark.django_db

STRONG = "harbour-lights-at-dawn-42"


def add(*args, **options):
    out = io.StringIO()
    call_command("add_staff", *args, stdout=out, **options)
    return out.getvalue()


def user(username):
    return get_user_model().objects.get(username=username)


def test_a_writer_gets_a_staff_login_that_may_write_but_not_publish_and_a_printed_password():
    out = add("--role", "writer", "ada", "ada@example.com", "--name", "Ada Okafor")
    password = out.split("password: ")[1].split()[0]
    ada = user("ada")
    assert ada.check_password(password) and ada.is_staff and not ada.is_superuser
    assert (ada.email, ada.first_name, ada.last_name) == ("ada@example.com", "Ada", "Okafor")
    assert list(ada.groups.values_list("name", flat=True)) == ["Writers"]
    assert ada.has_perm("articles.add_article") and not workflow.may_publish(ada)


def test_an_editor_may_publish():
    add("--role", "editor", "ben", "ben@example.com")
    assert workflow.may_publish(user("ben"))


def test_the_password_can_come_from_stdin_and_is_checked(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(STRONG + "\n"))
    out = add("--role", "writer", "cy", "cy@example.com", "--password-stdin")
    assert "password:" not in out
    assert user("cy").check_password(STRONG)
    monkeypatch.setattr("sys.stdin", io.StringIO("123\n"))
    with pytest.raises(CommandError, match="Password refused"):
        add("--role", "writer", "dee", "dee@example.com", "--password-stdin")
    assert not get_user_model().objects.filter(username="dee").exists()


def test_an_existing_user_is_refused_without_update_and_changes_role_with_it():
    out = add("--role", "writer", "ada", "ada@example.com")
    password = out.split("password: ")[1].split()[0]
    with pytest.raises(CommandError, match="already exists"):
        add("--role", "editor", "ada", "ada@example.com")
    out = add("--role", "editor", "ada", "ada@newsroom.example", "--update")
    ada = user("ada")
    assert list(ada.groups.values_list("name", flat=True)) == ["Editors"]  # one role, not both
    assert ada.email == "ada@newsroom.example" and ada.check_password(password)  # password kept
    assert "password:" not in out


def test_update_needs_an_existing_user_and_email_must_be_one():
    with pytest.raises(CommandError, match="No user"):
        add("--role", "writer", "ghost", "ghost@example.com", "--update")
    with pytest.raises(CommandError, match="Not an email address"):
        add("--role", "writer", "ada", "not-an-address")


def test_author_profile_is_made_or_an_unlinked_one_with_that_name_is_linked():
    add("--role", "writer", "ada", "ada@example.com", "--name", "Ada Okafor", "--author")
    profile = Author.objects.get(user=user("ada"))
    assert (profile.name, profile.slug) == ("Ada Okafor", "ada-okafor")

    existing = make_author("Ben Lee")
    add("--role", "writer", "ben", "ben@example.com", "--name", "Ben Lee", "--author")
    existing.refresh_from_db()
    assert existing.user == user("ben") and Author.objects.filter(name="Ben Lee").count() == 1

    with pytest.raises(CommandError, match="--author needs --name"):
        add("--role", "writer", "cy", "cy@example.com", "--author")


def test_a_superuser_updated_to_writer_is_warned_about():
    get_user_model().objects.create_superuser("root", "root@example.com", STRONG)
    out = add("--role", "writer", "root", "root@example.com", "--update")
    assert "is a superuser" in out
