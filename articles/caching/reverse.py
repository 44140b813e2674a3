"""Paths of public pages, reversed once per process for each name and slug.

reverse() walks the URL resolver on every call (about 40 µs); an article
page links to sections, keywords, feeds and other articles some thirty times.
The answer depends only on the arguments, the URLconf and the script prefix:
the request's URLconf and the prefix are part of the memo's key, and a new
ROOT_URLCONF (tests' override_settings) clears the memo, so no site mounted
under a prefix or served by another URLconf ever sees a stale path.
"""

from __future__ import annotations

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse


@functools.lru_cache(maxsize=20_000)
def _reverse(viewname: str, kwargs: tuple, urlconf, script_prefix: str) -> str:
    return reverse(viewname, urlconf=urlconf, kwargs=dict(kwargs))


@receiver(setting_changed)
def _forget(setting, **kwargs):
    if setting == "ROOT_URLCONF":  # what urlconf None stands for
        _reverse.cache_clear()


def path_to(viewname: str, *, memo: bool = True, **kwargs) -> str:
    """reverse(viewname, kwargs=kwargs), memoised unless memo is off (a path
    asked for once, like each new article's in an import, would only fill the memo)."""
    if not memo:
        return reverse(viewname, kwargs=kwargs)
    return _reverse(viewname, tuple(sorted(kwargs.items())), get_urlconf(), get_script_prefix())
