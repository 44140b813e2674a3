import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.management.commands.create_demo_user import DEMO_USERNAME

pytestmark = pytest.mark.django_db


def test_demo_user_is_created_once_with_a_printed_password(settings, capsys):
    settings.DEBUG = True
    call_command("create_demo_user")
    out = capsys.readouterr().out
    password = out.split("password: ")[1].split()[0]
    user = get_user_model().objects.get(username=DEMO_USERNAME)
    assert user.is_staff
    assert not user.is_superuser
    assert user.check_password(password)
    assert user.has_perm("articles.publish_article")

    call_command("create_demo_user")
    assert "already exists" in capsys.readouterr().out
    assert get_user_model().objects.get(username=DEMO_USERNAME).check_password(password)


def test_demo_user_is_refused_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("create_demo_user")
    assert not get_user_model().objects.filter(username=DEMO_USERNAME).exists()
