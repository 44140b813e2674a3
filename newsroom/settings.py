"""Newsroom settings: one module, driven by the environment.

Everything that differs between a laptop and production comes from environment
variables (see README.md "Configuration"). DEBUG is off unless asked for; with
DEBUG off the process refuses to start without a real SECRET_KEY.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: a fixed key is fine for a laptop with DEBUG on.
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ckeditor",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "articles.middleware.RedirectFallbackMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work during a write; synchronous=NORMAL is durable in
    # WAL mode except for the last commits on power loss. IMMEDIATE takes the
    # write lock up front, so concurrent writers wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en-gb")
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security. Behind a TLS-terminating proxy set SECURE_SSL=1 (see README).
SECURE_SSL = env_bool("SECURE_SSL", default=not DEBUG)
SECURE_SSL_REDIRECT = SECURE_SSL
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if SECURE_SSL else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL
# Preload is a commitment (every subdomain on HTTPS for good); set SECURE_HSTS_PRELOAD=0 to opt out.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=SECURE_SSL)
if env_bool("BEHIND_PROXY", default=SECURE_SSL):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

SILENCED_SYSTEM_CHECKS = [
    # django-ckeditor warns that CKEditor 4 no longer gets free security fixes.
    # We accept that knowingly: the editor is only an admin widget for staff,
    # and every stored body passes our own nh3 allow-list sanitizer
    # (articles/sanitizer.py) whatever the editor sends. See README.md.
    "ckeditor.W001",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- Newsroom ---------------------------------------------------------------

NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "Newsroom")
NEWSROOM_PAGE_SIZE = int(os.environ.get("NEWSROOM_PAGE_SIZE", "12"))

# Bodies larger than this are refused before sanitising (bytes of UTF-8).
NEWSROOM_MAX_BODY_BYTES = int(os.environ.get("NEWSROOM_MAX_BODY_BYTES", str(2 * 1024 * 1024)))

# iframes survive sanitising only when their src is https on one of these hosts.
NEWSROOM_IFRAME_HOSTS = env_list(
    "NEWSROOM_IFRAME_HOSTS",
    "www.youtube.com,www.youtube-nocookie.com,player.vimeo.com",
)

# Uploaded images: bytes on the wire and decoded pixels, both capped.
NEWSROOM_IMAGE_MAX_BYTES = int(os.environ.get("NEWSROOM_IMAGE_MAX_BYTES", str(15 * 1024 * 1024)))
NEWSROOM_IMAGE_MAX_PIXELS = int(os.environ.get("NEWSROOM_IMAGE_MAX_PIXELS", str(40_000_000)))

DATA_UPLOAD_MAX_MEMORY_SIZE = NEWSROOM_MAX_BODY_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CKEDITOR_BASEPATH = f"/{STATIC_URL}ckeditor/ckeditor/"
CKEDITOR_CONFIGS = {
    "newsroom": {
        "skin": "moono-lisa",
        "height": 480,
        "width": "100%",
        "toolbar": "Newsroom",
        "toolbar_Newsroom": [
            ["Format", "Bold", "Italic"],
            ["NumberedList", "BulletedList", "Blockquote"],
            ["Link", "Unlink"],
            ["Image", "Table", "HorizontalRule"],
            ["Undo", "Redo", "RemoveFormat"],
            ["Maximize"],
        ],
        "format_tags": "p;h2;h3;h4",
        "extraPlugins": "image2,uploadimage",
        "removePlugins": "image,flash,iframe,forms,colorbutton,colordialog,font,smiley,sourcearea,"
        "exportpdf,templates,language,bidi,div,save,newpage,print,preview,scayt,wsc",
        "image2_captionedClass": "image",
        "image2_alignClasses": ["align-left", "align-center", "align-right"],
        # What the editor lets through mirrors the server allow-list in
        # articles/sanitizer.py (the server is the one that is trusted).
        "allowedContent": (
            "p h2 h3 h4 blockquote ul ol li strong em b i s sub sup br hr;"
            "a[!href,title];"
            "figure(image,align-left,align-center,align-right);figcaption;"
            "img[!src,alt,width,height];"
            "table thead tbody tfoot tr;th td[colspan,rowspan];caption"
        ),
        "disallowedContent": "*[on*];*{*}",
        "filebrowserUploadUrl": "/admin/articles/image/upload/",
        "filebrowserUploadMethod": "xhr",
        "uploadUrl": "/admin/articles/image/upload/",
        # Pasted pictures go through uploadimage (our checked endpoint), not data: URLs.
        "clipboard_handleImages": False,
        "customConfig": "",
    }
}

# Legacy import (articles/importing/). Files and front matter past these sizes
# are refused; the node count stops YAML alias bombs.
NEWSROOM_IMPORT_MAX_FILE_BYTES = int(os.environ.get("NEWSROOM_IMPORT_MAX_FILE_BYTES", str(5 * 1024 * 1024)))
NEWSROOM_IMPORT_MAX_FRONT_MATTER_BYTES = 64 * 1024
NEWSROOM_IMPORT_MAX_FRONT_MATTER_NODES = 5_000
# Where a legacy post lived: {path} is its path under the import root without
# the extension, {filename} its file name without the extension.
NEWSROOM_LEGACY_URL_PATTERN = os.environ.get("NEWSROOM_LEGACY_URL_PATTERN", "{path}")

# Image downloads by the importer (--fetch-images).
NEWSROOM_FETCH_TIMEOUT = float(os.environ.get("NEWSROOM_FETCH_TIMEOUT", "10"))
NEWSROOM_FETCH_MAX_REDIRECTS = 3
NEWSROOM_FETCH_WORKERS = int(os.environ.get("NEWSROOM_FETCH_WORKERS", "4"))
NEWSROOM_FETCH_ALLOWED_PORTS = [80, 443]
# Only tests turn this on, to fetch from a server on 127.0.0.1.
NEWSROOM_FETCH_ALLOW_PRIVATE = env_bool("NEWSROOM_FETCH_ALLOW_PRIVATE")
# The admin's import page: uploaded files (or a .zip, unpacked) at most this large.
NEWSROOM_IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("NEWSROOM_IMPORT_MAX_UPLOAD_BYTES", str(200 * 1024 * 1024)))
NEWSROOM_IMPORT_MAX_ZIP_MEMBERS = 20_000
