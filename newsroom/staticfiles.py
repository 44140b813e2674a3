"""Static files finders that keep to collectstatic's ignore patterns (newsroom/apps.py)."""

from django.apps import apps
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.utils import matches_patterns


class AppDirectoriesFinder(finders.AppDirectoriesFinder):
    """Django's finder answers for any file in an app's static folder, also one collectstatic
    ignores; with DEBUG (runserver, WhiteNoise's autorefresh) it would be served."""

    def find(self, path, find_all=False, **kwargs):
        if matches_patterns(path, apps.get_app_config("staticfiles").ignore_patterns):
            return []  # what Django's finders answer for a file they do not have
        return super().find(path, find_all=find_all, **kwargs)
