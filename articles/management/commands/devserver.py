"""`make run`: the development server and a jobs worker as one command, with short output.

Migrates, loads the sample content, makes the demo login, then starts `runserver ADDRPORT` and
`db_worker` as child processes. Their output passes through with the start-up noise dropped
(banners, check lines, the autoreloader's "Watching..." each restart); the site's and the admin's
address, from the line where runserver says where it really listens, and the login come last.
Ctrl-C or SIGTERM stops both; when one of them stops, the other is stopped too. DEBUG only.
"""

from __future__ import annotations

import io
import re
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# Lines of runserver's, db_worker's and the libraries' start-up that say nothing new each time.
NOISE = re.compile(
    r"^(AXES: BEGIN|Watching for file changes|Performing system checks|System check identified no issues"
    r"|Django version |Quit the server with|WARNING: This is a development server|For production use"
    r"|For more information on production servers|Starting worker worker_id="
    r"|\w+ \d{2}, \d{4} - \d{2}:\d{2}:\d{2}$|\s*$)"
)
LISTENING = re.compile(r"^Starting development server at (?P<url>\S+)")
ALL_ADDRESSES = re.compile(r"//(0\.0\.0\.0|\[::\])(?=[:/])")


def site_url(listening: str) -> str:
    """The address to open for the one runserver listens on (all addresses: this machine's)."""
    return ALL_ADDRESSES.sub("//127.0.0.1", listening).rstrip("/") + "/"


class Command(BaseCommand):
    help = "Run the development server and a jobs worker together (make run). DEBUG only."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="As runserver's (HOST in make run).")
        parser.add_argument("--no-worker", action="store_true", help="Only the web server (jobs wait in the queue).")

    def handle(self, *args, addrport, no_worker, **options):
        if not settings.DEBUG:
            raise CommandError("devserver is for development (DEBUG=1); see docs/deployment.md for production.")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_sample_content", verbosity=0)
        login = io.StringIO()
        call_command("create_demo_user", stdout=login)
        self.login = [line for line in login.getvalue().splitlines() if not line.startswith("Demo staff login for")]
        self.shown = threading.Event()

        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        commands = {"web": [*manage, "runserver", addrport]}
        workers = {
            "database": ["db_worker", "--no-startup-delay", "--interval", "0.5"],
            "rq": ["rqworker", "default", "--with-scheduler"],
        }
        if not no_worker and settings.NEWSROOM_TASKS in workers:
            commands["worker"] = [*manage, *workers[settings.NEWSROOM_TASKS]]
        children = {
            name: subprocess.Popen(  # noqa: S603 (this project's manage.py, fixed arguments)
                command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
            )
            for name, command in commands.items()
        }
        for name, child in children.items():
            threading.Thread(target=self.relay, args=(name, child), daemon=True).start()

        stopping = threading.Event()

        def stop(signum, frame):
            stopping.set()

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while not stopping.is_set() and all(child.poll() is None for child in children.values()):
            stopping.wait(0.2)
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        for child in children.values():
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        failed = [name for name, child in children.items() if child.returncode not in (0, -signal.SIGTERM)]
        if failed and not stopping.is_set():
            raise CommandError(f"The {' and the '.join(failed)} stopped; so did the rest.")

    def relay(self, name: str, child: subprocess.Popen) -> None:
        """Copy a child's output, without the noise; after runserver's address, the summary."""
        previous = None
        for line in child.stdout:
            line = line.rstrip("\n")
            # Django's own DEBUG console handler and the root one both print the autoreloader's lines.
            line, previous = (None if line == previous else line), line
            if line is None or NOISE.match(line):
                continue
            if match := LISTENING.match(line):
                self.summary(site_url(match["url"]))
            else:
                self.stdout.write(f"{name:6} {line}" if name != "web" else line)

    def summary(self, url: str) -> None:
        if self.shown.is_set():  # the autoreloader restarted the server: said once is enough
            self.stdout.write(f"Restarted: {url}")
            return
        self.shown.set()
        time.sleep(0.1)  # let the children's last start-up lines through first
        name = {"database": "db_worker", "rq": "rqworker"}.get(settings.NEWSROOM_TASKS)
        worker = f"a jobs worker ({name}) runs beside it" if name else ""
        lines = [
            "",
            f"Newsroom is running at {url}" + (f"; {worker}" if worker else ""),
            f"  Admin: {url}admin/",
            *self.login,
            "  Stop with Ctrl-C.",
        ]
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
