"""A URLconf that mounts the public site elsewhere, for tests of memoised paths."""

from django.urls import include, path

urlpatterns = [path("elsewhere/", include("articles.public.urls"))]
