from django.contrib.admin.apps import AdminConfig
from django.contrib.staticfiles.apps import StaticFilesConfig


class NewsroomAdminConfig(AdminConfig):
    """Django's admin with the newsroom's site (newsroom/admin.py) as admin.site.

    default_site is Django's documented way to replace the default site: every
    ModelAdmin registered with @admin.register, and admin.site.urls in urls.py, use
    it unchanged, where a site of our own would need each registration moved to it.
    """

    default_site = "newsroom.admin.NewsroomAdminSite"


class NewsroomStaticFilesConfig(StaticFilesConfig):
    """django.contrib.staticfiles without what django-ckeditor bundles for CKEditor's own development:
    test and sample pages, and the pages of plugins the editor leaves out (settings.CKEDITOR_CONFIGS).
    Served from /static/ without the admin's CSP, such pages are somewhere a link could run script.
    collectstatic skips them; newsroom.staticfiles.AppDirectoriesFinder refuses them (DEBUG)."""

    ignore_patterns = [
        *StaticFilesConfig.ignore_patterns,
        "ckeditor/ckeditor/samples",
        "*/_samples/*",
        "*/tests/*",
        "ckeditor/*.html",  # preview, spell-check dialogs: plugins removed from the editor
        "ckeditor/ckeditor/bender-runner.config.json",  # CKEditor's test runner
    ]
