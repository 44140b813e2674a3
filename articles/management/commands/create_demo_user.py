"""Create the demo staff login that `make run` prints, so a newcomer can try the admin.

Only with DEBUG on, and only when the user does not exist yet: it never
resets a password and never runs in production.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

DEMO_USERNAME = "demo-editor"


class Command(BaseCommand):
    help = "Create a demo staff user in the Editors group and print its login (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create a demo login with DEBUG off.")
        User = get_user_model()
        if User.objects.filter(username=DEMO_USERNAME).exists():
            self.stdout.write(
                f"Demo login '{DEMO_USERNAME}' already exists. "
                f"Forgot its password? Run: DEBUG=1 .venv/bin/python manage.py changepassword {DEMO_USERNAME}"
            )
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=DEMO_USERNAME, password=password, is_staff=True)
        user.groups.add(Group.objects.get(name="Editors"))
        self.stdout.write(self.style.SUCCESS("Demo staff login for http://127.0.0.1:8000/admin/"))
        self.stdout.write(f"  username: {DEMO_USERNAME}\n  password: {password}")
