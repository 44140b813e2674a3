"""Add a writer or an editor: a staff login in the Writers or Editors group (never a superuser),
optionally with the author profile their bylines use. docs/editorial.md, "Adding writers and editors".

The password is never a command-line argument (it would stay in the shell's history and in the
process list): a random one is printed once, or one is read from standard input with --password-stdin.
"""

import secrets
import sys

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from articles.models import Author, unique_slug

ROLES = {"writer": "Writers", "editor": "Editors"}


class Command(BaseCommand):
    help = "Add a writer or an editor (a staff login in the Writers or Editors group), or change one's role."

    def add_arguments(self, parser):
        parser.add_argument("--role", choices=sorted(ROLES), required=True)
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument("--name", default="", help='Full name, e.g. "Ada Okafor" (first word first name).')
        parser.add_argument(
            "--author",
            action="store_true",
            help="Also make the author profile bylines use (named --name), linked to the login.",
        )
        parser.add_argument("--password-stdin", action="store_true", help="Read the password from standard input.")
        parser.add_argument(
            "--update", action="store_true", help="The user exists: set this role (and email, name); keep the password."
        )

    def handle(self, *args, role, username, email, name, author, password_stdin, update, **options):
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"Not an email address: {email!r}.") from error
        if author and not name.strip():
            raise CommandError("--author needs --name: the name readers see in bylines.")
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is not None and not update:
            raise CommandError(f"User {username!r} already exists; add --update to change their role.")
        if user is None and update:
            raise CommandError(f"No user {username!r} to update.")
        password = self._password(password_stdin, User(username=username, email=email)) if user is None else None
        with transaction.atomic():
            user = self._save_user(User, user, username, email, name, password)
            user.groups.remove(*Group.objects.filter(name__in=ROLES.values()))
            user.groups.add(Group.objects.get(name=ROLES[role]))
            if author:
                self._link_author(user, name.strip())
        self.stdout.write(self.style.SUCCESS(f"{username} is now a{'n' if role == 'editor' else ''} {role}."))
        if user.is_superuser:
            self.stdout.write(self.style.WARNING(f"{username} is a superuser: they may still do everything."))
        if password is not None and not password_stdin:
            self.stdout.write(f"  password: {password}\n  (shown once: pass it on privately; they can change it.)")

    def _password(self, from_stdin: bool, user) -> str:
        if not from_stdin:
            return secrets.token_urlsafe(12)
        password = sys.stdin.readline().rstrip("\n")
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from error
        return password

    @staticmethod
    def _save_user(User, user, username, email, name, password):
        first, _, last = name.strip().partition(" ")
        if user is None:
            user = User.objects.create_user(username=username, email=email, password=password)
        user.email = email
        if name.strip():
            user.first_name, user.last_name = first, last
        user.is_staff = True
        user.save()
        return user

    @staticmethod
    def _link_author(user, name: str) -> None:
        if Author.objects.filter(user=user).exists():
            return
        profile = Author.objects.filter(name=name, user__isnull=True).first()
        if profile is None:
            profile = Author(name=name, slug=unique_slug(Author, name))
        profile.user = user
        profile.save()
