"""Who did something, shown as a name.

Django's admin shows a read-only foreign key to a user as a link to that user's page, which
only superusers may open: Editors and Writers would meet a 403 behind it. Names, not links.
"""

from __future__ import annotations


def user_name(user) -> str:
    return user.get_username() if user is not None else "—"
