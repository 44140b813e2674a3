import pytest

from tests.factories import make_user


@pytest.fixture(autouse=True)
def _media_and_fast_hashing(settings, tmp_path):
    """Uploads go to a throwaway folder; passwords hash fast."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests render pages without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def writer(django_user_model):
    return make_user(django_user_model, "writer", "Writers")


@pytest.fixture
def editor(django_user_model):
    return make_user(django_user_model, "editor", "Editors")
