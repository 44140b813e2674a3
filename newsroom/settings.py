"""Newsroom settings: one module, driven by the environment.

Everything that differs between a laptop and production comes from environment
variables (docs/configuration.md). DEBUG is off unless asked for; with
DEBUG off the process refuses to start without a real SECRET_KEY.
"""

import hashlib
import ipaddress
import os
import tempfile
import zoneinfo
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from newsroom import brand

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
    "newsroom.apps.NewsroomAdminConfig",  # django.contrib.admin with the dashboard (newsroom/admin.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ckeditor",
    "csp",
    "reversion",
    "axes",
    "ninja",  # the API's documentation page from its own static files, not a CDN
    "django_tasks",
    "django_tasks_db",  # the jobs table, whichever backend runs them (one schema everywhere)
    # Footer pages (About, Contact...) as Django's flatpages, which need the sites framework
    # (one Site, SITE_ID). Feeds and sitemaps still take the host from the request (docs/reader-site.md).
    "django.contrib.sites",
    "django.contrib.flatpages",
    "articles",
]
SITE_ID = 1

MIDDLEWARE = [
    # First: a cached page is served before anything else runs, with no session, user or SQL;
    # it also answers conditional GETs for every response (Django's ConditionalGetMiddleware,
    # which it runs itself). See articles/caching/page_cache.py.
    "articles.caching.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsroom.middleware.NewsroomCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "articles.public.redirects.RedirectFallbackMiddleware",
    "newsroom.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
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
                "articles.public.context_processors.site",
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

# SQLite's search index is derived data, left out of dumpdata and loaddata (docs/backup.md).
DATABASE_ROUTERS = ["articles.models.fulltext.SearchIndexRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL names one (redis://host:6379/0), else this
# process's memory. A Redis outage is logged and served around, never shown
# to readers (newsroom/cache.py); the timeouts bound what one attempt costs.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "newsroom"}}
# The fragments cache: parts of pages kept for the rest of a content generation (navigation,
# related articles, list counts; articles/caching/generation.py), in each process's memory.
# Off with DEBUG (templates edited show at once) or NEWSROOM_FRAGMENT_CACHE=0.
NEWSROOM_FRAGMENT_CACHE = env_bool("NEWSROOM_FRAGMENT_CACHE", default=not DEBUG)
CACHES["fragments"] = (
    {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "newsroom-fragments",
        # Hot pages' blocks stay; a crawl through every article culls a third at a time instead
        # of growing each worker (measured: 1,000 entries held about 9 MB after 3,000 articles).
        "OPTIONS": {"MAX_ENTRIES": 500},
    }
    if NEWSROOM_FRAGMENT_CACHE
    else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
)
# After a Redis failure, leave it alone this long before trying again.
NEWSROOM_CACHE_RETRY_SECONDS = float(os.environ.get("NEWSROOM_CACHE_RETRY_SECONDS", "5"))

# Background jobs (articles/jobs.py, docs/deployment.md "Background jobs"): Django's Tasks API through
# django-tasks, the backport of Django 6's django.tasks. NEWSROOM_TASKS picks what runs them:
# database (default): rows in this database, run by `manage.py db_worker`;
# rq: RQ queues on Redis (REDIS_URL), run by `manage.py rqworker`;
# immediate: inside the process that enqueues, at once (tests, and a laptop without a worker).
NEWSROOM_TASKS = os.environ.get("NEWSROOM_TASKS", "").strip().lower() or "database"
# How long one job may run before RQ stops it (an import of a large archive takes minutes).
NEWSROOM_JOB_TIMEOUT = int(os.environ.get("NEWSROOM_JOB_TIMEOUT", "3600"))
if NEWSROOM_TASKS == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif NEWSROOM_TASKS == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("NEWSROOM_TASKS=rq needs REDIS_URL (redis://host:6379/0).")
    INSTALLED_APPS.insert(INSTALLED_APPS.index("articles"), "django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": NEWSROOM_JOB_TIMEOUT}}
    # RQ's workers run django-tasks' jobs only through its Job class (so `rqworker default` needs no flag).
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif NEWSROOM_TASKS == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured(f"NEWSROOM_TASKS={NEWSROOM_TASKS!r}: use database, rq or immediate.")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): repeated failures lock one username from one
# address, not a whole address (a newsroom shares one office IP) and not a whole
# username (anyone could lock an editor out). AxesStandaloneBackend only checks
# the lockout; ModelBackend still logs people in. Axes needs the request, so
# tests use client.force_login(), or client.login() with AXES_ENABLED off.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/login_locked.html"
# Behind proxies REMOTE_ADDR is the nearest proxy's; take the address the first of them saw.
AXES_CLIENT_IP_CALLABLE = "newsroom.login_protection.client_ip"

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en-gb")
# The newsroom's zone: editors type and read times in it, readers see times in it.
# Stored times stay UTC. Checked here so that a typo stops the process with its name.
TIME_ZONE = os.environ.get("TIME_ZONE", "").strip() or "UTC"
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
    raise ImproperlyConfigured(
        f"TIME_ZONE={TIME_ZONE!r} is not a time zone this machine knows: use a tz database name "
        "such as Europe/London, Asia/Kolkata or UTC (and install the system's tzdata if none works)."
    ) from error
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "newsroom.staticfiles.AppDirectoriesFinder",  # without CKEditor's test and sample pages
]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Media (uploaded and imported pictures): the local disk under MEDIA_ROOT, or
# S3-compatible object storage when AWS_STORAGE_BUCKET_NAME is set. Keys come
# from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or the
# machine's role, read by boto3 itself; they are never written here.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL", "")  # MinIO, R2, B2...; empty for AWS
AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN", "")  # a CDN in front of the bucket
if AWS_STORAGE_BUCKET_NAME:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": AWS_S3_ENDPOINT_URL or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": AWS_S3_CUSTOM_DOMAIN or None,
            "location": os.environ.get("AWS_LOCATION", ""),  # a folder inside the bucket
            # Pictures are public: plain URLs, no expiring signatures (which
            # would also defeat every cache between the bucket and readers).
            "querystring_auth": False,
            "default_acl": os.environ.get("AWS_DEFAULT_ACL") or None,
            "file_overwrite": False,
            # Stored names are generated and never reused, so caches may keep them.
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
else:
    # Files appear whole or not at all (articles/images/storage.py).
    DEFAULT_STORAGE = {"BACKEND": "articles.images.storage.WholeFileStorage"}

# Pictures uploaded in a batch wait in "staging" until someone gives each its alt text
# (articles/images/staging.py): never public, shown only to staff through the admin,
# cleared by prune_media after a day. On S3 a private, signed-URL prefix of the bucket
# (keep it out of any public-read bucket policy: docs/deployment.md, "Media").
if AWS_STORAGE_BUCKET_NAME:
    STAGING_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **DEFAULT_STORAGE["OPTIONS"],
            "location": "/".join(filter(None, [os.environ.get("AWS_LOCATION", ""), "staging-private"])),
            "custom_domain": None,
            "default_acl": "private",
            "querystring_auth": True,
            "object_parameters": {"CacheControl": "private, no-store"},
        },
    }
else:
    STAGING_STORAGE = {
        "BACKEND": "articles.images.storage.WholeFileStorage",
        "OPTIONS": {"location": Path(os.environ.get("NEWSROOM_STAGING_ROOT", BASE_DIR / "staging"))},
    }

STORAGES = {
    "default": DEFAULT_STORAGE,
    "staging": STAGING_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security. Behind a TLS-terminating proxy set SECURE_SSL=1 (docs/deployment.md).
SECURE_SSL = env_bool("SECURE_SSL", default=not DEBUG)
SECURE_SSL_REDIRECT = SECURE_SSL
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if SECURE_SSL else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL
# Preload is a commitment (every subdomain on HTTPS for good); set SECURE_HSTS_PRELOAD=0 to opt out.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=SECURE_SSL)
BEHIND_PROXY = env_bool("BEHIND_PROXY", default=SECURE_SSL)
if BEHIND_PROXY:
    # The one scheme header the proxy sets; gunicorn.conf.py trusts only this one too.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies whose X-Forwarded-For entries login throttling believes (docs/deployment.md,
# "Proxies and client addresses"). The default fits proxies on this machine, as gunicorn's own.
NEWSROOM_TRUSTED_PROXIES = env_list("NEWSROOM_TRUSTED_PROXIES", default="127.0.0.1,::1" if BEHIND_PROXY else "")
try:
    [ipaddress.ip_network(entry, strict=False) for entry in NEWSROOM_TRUSTED_PROXIES]
except ValueError as error:
    raise ImproperlyConfigured(f"NEWSROOM_TRUSTED_PROXIES: {error} (addresses or networks, comma-separated)") from error
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

SILENCED_SYSTEM_CHECKS = [
    # django-ckeditor warns that CKEditor 4 no longer gets free security fixes.
    # We accept that knowingly: the editor is only an admin widget for staff,
    # and every stored body passes our own nh3 allow-list sanitizer
    # (articles/content/sanitizer.py) whatever the editor sends. See docs/editor-and-sanitizer.md.
    "ckeditor.W001",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes' version banner, printed by every process and command at start, says nothing new.
    "loggers": {"axes.apps": {"level": "WARNING"}},
}

# --- Newsroom ---------------------------------------------------------------

NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "Newsroom")

# --- Reader site brand (newsroom/brand.py, docs/configuration.md "Brand") ---
NEWSROOM_SITE_TAGLINE = os.environ.get("NEWSROOM_SITE_TAGLINE", "Local news, checked and corrected in the open")
# A static file's name (images/logo.svg) or an address (https://..., /media/...); empty: the name in type.
NEWSROOM_LOGO = os.environ.get("NEWSROOM_LOGO", "").strip()
try:
    NEWSROOM_ACCENT_COLOUR = brand.accent_colour(
        "NEWSROOM_ACCENT_COLOUR", os.environ.get("NEWSROOM_ACCENT_COLOUR", ""), paper=brand.LIGHT_PAPER
    )
    NEWSROOM_ACCENT_COLOUR_DARK = brand.accent_colour(
        "NEWSROOM_ACCENT_COLOUR_DARK", os.environ.get("NEWSROOM_ACCENT_COLOUR_DARK", ""), paper=brand.DARK_PAPER
    )
    NEWSROOM_FOOTER_LINKS = brand.footer_links(
        "NEWSROOM_FOOTER_LINKS",
        os.environ.get(
            "NEWSROOM_FOOTER_LINKS",
            "About=/pages/about/,Contact=/pages/contact/,"
            "Corrections policy=/pages/corrections-policy/,Privacy=/pages/privacy/",
        ),
    )
except brand.BrandError as error:
    raise ImproperlyConfigured(str(error)) from error
# The one inline stylesheet readers' pages carry; the policy below allows it by its hash.
NEWSROOM_BRAND_CSS = brand.accent_stylesheet(NEWSROOM_ACCENT_COLOUR, NEWSROOM_ACCENT_COLOUR_DARK)
# What browsers paint around the page (<meta name="theme-color">, the web app manifest).
NEWSROOM_THEME_COLOUR = NEWSROOM_ACCENT_COLOUR or "#a4161a"
# --- end of reader site brand ---
NEWSROOM_PAGE_SIZE = int(os.environ.get("NEWSROOM_PAGE_SIZE", "12"))
# Reader metadata (articles/public/seo.py, feeds, sitemaps): the publisher's logo
# for JSON-LD (an absolute URL or a path on this site), and how many articles a feed lists.
NEWSROOM_PUBLISHER_LOGO_URL = os.environ.get("NEWSROOM_PUBLISHER_LOGO_URL", "")
NEWSROOM_FEED_SIZE = int(os.environ.get("NEWSROOM_FEED_SIZE", "20"))
# How long a share link to an unpublished article works (articles/editorial/share_links.py).
NEWSROOM_PREVIEW_LINK_MAX_AGE = int(os.environ.get("NEWSROOM_PREVIEW_LINK_MAX_AGE", str(3 * 24 * 3600)))

# Bodies larger than this are refused before sanitising (bytes of UTF-8).
NEWSROOM_MAX_BODY_BYTES = int(os.environ.get("NEWSROOM_MAX_BODY_BYTES", str(2 * 1024 * 1024)))

# iframes survive sanitising only when their src is https on one of these hosts.
NEWSROOM_IFRAME_HOSTS = env_list(
    "NEWSROOM_IFRAME_HOSTS",
    "www.youtube.com,www.youtube-nocookie.com,player.vimeo.com",
)

# Content-Security-Policy (django-csp). Readers' pages: no inline script or
# style, nothing embedded but pictures and the allowed video players.
_MEDIA_ORIGINS = [
    url.rstrip("/")
    for url in [
        f"{os.environ.get('AWS_S3_URL_PROTOCOL', 'https:')}//{AWS_S3_CUSTOM_DOMAIN}" if AWS_S3_CUSTOM_DOMAIN else "",
        AWS_S3_ENDPOINT_URL,
        MEDIA_URL if MEDIA_URL.startswith(("http://", "https://")) else "",
    ]
    if url
]
_IFRAME_SOURCES = [f"https://{host}" for host in NEWSROOM_IFRAME_HOSTS] or [NONE]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, *([brand.csp_hash(NEWSROOM_BRAND_CSS)] if NEWSROOM_BRAND_CSS else [])],
        "img-src": [SELF, "https:", *_MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": _IFRAME_SOURCES,
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "upgrade-insecure-requests": SECURE_SSL,
    }
}
# The admin only (newsroom/middleware.py): CKEditor 4 writes inline event
# handlers and styles, and shows pasted or uploaded pictures as data:/blob: URLs.
NEWSROOM_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", "https:", *_MEDIA_ORIGINS],
    }
}

# Uploaded images: bytes on the wire and decoded pixels, both capped.
NEWSROOM_IMAGE_MAX_BYTES = int(os.environ.get("NEWSROOM_IMAGE_MAX_BYTES", str(15 * 1024 * 1024)))
NEWSROOM_IMAGE_MAX_PIXELS = int(os.environ.get("NEWSROOM_IMAGE_MAX_PIXELS", str(40_000_000)))
# Documents the editor's Link dialog uploads (PDF, office files): bytes, capped.
NEWSROOM_DOCUMENT_MAX_BYTES = int(os.environ.get("NEWSROOM_DOCUMENT_MAX_BYTES", str(20 * 1024 * 1024)))

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
        # articles/content/sanitizer.py (the server is the one that is trusted).
        "allowedContent": (
            "p h2 h3 h4 blockquote ul ol li strong em b i s sub sup br hr;"
            "a[!href,title];"
            "figure(image,align-left,align-center,align-right);figcaption;"
            "img[!src,alt,width,height];"
            "table thead tbody tfoot tr;th td[colspan,rowspan];caption"
        ),
        "disallowedContent": "*[on*];*{*}",
        # Each dialog its own upload: pictures to the picture library, the Link dialog's
        # documents (PDF, office files) to the documents library, each with its own checks
        # (docs/editor-and-sanitizer.md). Links typed without a scheme get https.
        "filebrowserImage2UploadUrl": "/admin/articles/image/upload/",
        "filebrowserImageUploadUrl": "/admin/articles/image/upload/",
        "filebrowserLinkUploadUrl": "/admin/articles/document/upload/",
        "linkDefaultProtocol": "https://",
        "filebrowserUploadMethod": "xhr",
        # The image dialog's "Browse Server": the picture chooser, which asks for alt text on upload.
        "filebrowserImageBrowseUrl": "/admin/articles/image/?_popup=1&view=grid",
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
# More keywords than this on one post is a broken or hostile file: the rest are dropped, with a warning.
NEWSROOM_IMPORT_MAX_KEYWORDS = 50
# An import that writes this many articles refreshes the database's planner statistics (ANALYZE).
NEWSROOM_IMPORT_ANALYZE_AFTER = int(os.environ.get("NEWSROOM_IMPORT_ANALYZE_AFTER", "500"))
# Where a legacy post lived: {path} is its path under the import root without
# the extension, {filename} its file name without the extension.
NEWSROOM_LEGACY_URL_PATTERN = os.environ.get("NEWSROOM_LEGACY_URL_PATTERN", "{path}")

# Image downloads by the importer (--fetch-images).
NEWSROOM_FETCH_TIMEOUT = float(os.environ.get("NEWSROOM_FETCH_TIMEOUT", "10"))
NEWSROOM_FETCH_MAX_REDIRECTS = 3
NEWSROOM_FETCH_WORKERS = int(os.environ.get("NEWSROOM_FETCH_WORKERS", "4"))
# import_legacy: processes that parse and clean files while the command writes
# to the database. One keeps up with the writer; 0 does it all in one process.
NEWSROOM_IMPORT_WORKERS = int(os.environ.get("NEWSROOM_IMPORT_WORKERS", "1" if (os.cpu_count() or 1) > 1 else "0"))
NEWSROOM_FETCH_ALLOWED_PORTS = [80, 443]
# Only tests turn this on, to fetch from a server on 127.0.0.1.
NEWSROOM_FETCH_ALLOW_PRIVATE = env_bool("NEWSROOM_FETCH_ALLOW_PRIVATE")
# The admin's import page: uploaded files (or a .zip, unpacked) at most this large.
NEWSROOM_IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("NEWSROOM_IMPORT_MAX_UPLOAD_BYTES", str(200 * 1024 * 1024)))
NEWSROOM_IMPORT_MAX_ZIP_MEMBERS = 20_000
# Where the admin keeps uploaded import files until their job has run (and after a dry run, for
# the real import): private, never under MEDIA_ROOT; the web server and the jobs worker must share it.
NEWSROOM_IMPORT_UPLOADS_DIR = Path(os.environ.get("NEWSROOM_IMPORT_UPLOADS_DIR") or BASE_DIR / "private" / "imports")
# An admin import whose job has written no progress for this long is taken for dead (its worker
# was killed) and run again, at most NEWSROOM_IMPORT_ATTEMPTS times in all.
NEWSROOM_IMPORT_STALL_SECONDS = int(os.environ.get("NEWSROOM_IMPORT_STALL_SECONDS", "120"))
NEWSROOM_IMPORT_ATTEMPTS = 3

# Serve MEDIA_URL from MEDIA_ROOT through Django (newsroom/views.py serve_media:
# pictures only, nosniff, long cache). On by default only with local-disk media;
# better in production: object storage or a separate domain (docs/deployment.md, "Media").
NEWSROOM_SERVE_MEDIA = env_bool(
    "NEWSROOM_SERVE_MEDIA",
    default=not AWS_STORAGE_BUCKET_NAME and MEDIA_URL.startswith("/"),
)

# Page caching (articles/caching/page_cache.py) and CDN purges (articles/caching/purge.py); docs/caching.md.
# Anonymous readers' pages: browsers keep them NEWSROOM_PAGE_MAX_AGE seconds, shared
# caches (this site's own cache, Varnish, a CDN) NEWSROOM_PAGE_SHARED_MAX_AGE (s-maxage);
# 0 turns public caching off. Edits reach the site's own cache at once; shared caches
# in front hear of them only through a purge backend.
NEWSROOM_PAGE_MAX_AGE = int(os.environ.get("NEWSROOM_PAGE_MAX_AGE", "60"))
NEWSROOM_PAGE_SHARED_MAX_AGE = int(os.environ.get("NEWSROOM_PAGE_SHARED_MAX_AGE", "60"))
# Keep whole pages in the cache below: Redis (REDIS_URL), shared by every worker and
# machine, else each process's memory.
NEWSROOM_PAGE_CACHE = env_bool("NEWSROOM_PAGE_CACHE", default=True)
NEWSROOM_PAGE_CACHE_ALIAS = "default"
# With each process's memory as the cache, the content generation (articles/caching/generation.py)
# lives in this file instead, so an edit made through one worker makes every worker's
# copies stale at once. One machine only: several need Redis. The default is one file
# per checkout and database, in the system's temporary folder.
NEWSROOM_PAGE_GENERATION_FILE = Path(
    os.environ.get("NEWSROOM_PAGE_GENERATION_FILE")
    or Path(tempfile.gettempdir())
    / "newsroom-pages-{}.generation".format(
        hashlib.blake2b(f"{BASE_DIR}|{DATABASES['default'].get('NAME')}".encode(), digest_size=8).hexdigest()
    )
)
# The site's public address, e.g. https://news.example.org: the Host of purge
# requests and the URLs sent to Cloudflare.
NEWSROOM_SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "")
NEWSROOM_PURGE_BACKEND = os.environ.get("NEWSROOM_PURGE_BACKEND", "none")  # none, http or cloudflare
NEWSROOM_PURGE_URLS = env_list("NEWSROOM_PURGE_URLS")  # http: e.g. http://127.0.0.1:6081
NEWSROOM_PURGE_METHOD = os.environ.get("NEWSROOM_PURGE_METHOD", "PURGE")  # or BAN
NEWSROOM_PURGE_TIMEOUT = float(os.environ.get("NEWSROOM_PURGE_TIMEOUT", "2"))
NEWSROOM_CLOUDFLARE_ZONE_ID = os.environ.get("NEWSROOM_CLOUDFLARE_ZONE_ID", "")
NEWSROOM_CLOUDFLARE_API_TOKEN = os.environ.get("CLOUDFLARE_API_TOKEN", "")
NEWSROOM_CLOUDFLARE_API_URL = os.environ.get("NEWSROOM_CLOUDFLARE_API_URL", "https://api.cloudflare.com/client/v4")

# Purges and webhooks are jobs that retry when their target fails: the first retry after
# NEWSROOM_RETRY_FIRST_SECONDS, each wait twice the last (at most an hour), this many attempts in all.
NEWSROOM_RETRY_FIRST_SECONDS = float(os.environ.get("NEWSROOM_RETRY_FIRST_SECONDS", "10"))
NEWSROOM_PURGE_ATTEMPTS = int(os.environ.get("NEWSROOM_PURGE_ATTEMPTS", "8"))
# Outgoing webhooks (articles/delivery/webhooks.py; docs/webhooks.md). Same address checks as
# --fetch-images (public addresses, these ports); private targets only for tests and labs.
NEWSROOM_WEBHOOK_ATTEMPTS = int(os.environ.get("NEWSROOM_WEBHOOK_ATTEMPTS", "10"))
NEWSROOM_WEBHOOK_TIMEOUT = float(os.environ.get("NEWSROOM_WEBHOOK_TIMEOUT", "10"))
NEWSROOM_WEBHOOK_ALLOWED_PORTS = [80, 443]
NEWSROOM_WEBHOOK_ALLOW_PRIVATE = env_bool("NEWSROOM_WEBHOOK_ALLOW_PRIVATE")

# Reader search: longer queries are cut to this many characters.
NEWSROOM_SEARCH_MAX_LENGTH = 200
