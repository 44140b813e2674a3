"""A static files finder without what django-ckeditor bundles for CKEditor's own development:
test and sample pages, and the pages of plugins the editor leaves out (settings.CKEDITOR_CONFIGS).
Served from /static/ without the admin's CSP, such pages are somewhere a link could run script.

collectstatic copies what the finders list, and runserver and WhiteNoise's autorefresh serve
what they find: this finder neither lists nor finds them. (A StaticFilesConfig with more
ignore_patterns would do for collectstatic, but replacing "django.contrib.staticfiles" in
INSTALLED_APPS turns off the test live server's static files.)
"""

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.utils import matches_patterns

UNSHIPPED = [
    "ckeditor/ckeditor/samples/*",
    "*/_samples/*",
    "*/tests/*",
    "ckeditor/*.html",  # preview, spell-check dialogs: plugins removed from the editor
    "ckeditor/ckeditor/bender-runner.config.json",  # CKEditor's test runner
]


class AppDirectoriesFinder(finders.AppDirectoriesFinder):
    def find(self, path, find_all=False, **kwargs):
        if matches_patterns(path, UNSHIPPED):
            return []  # what Django's finders answer for a file they do not have
        return super().find(path, find_all=find_all, **kwargs)

    def list(self, ignore_patterns):
        for path, storage in super().list(ignore_patterns):
            if not matches_patterns(path, UNSHIPPED):
                yield path, storage
