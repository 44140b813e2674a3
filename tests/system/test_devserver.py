"""`make run`'s command: the development server and a jobs worker as one process to start and stop,
saying where it really serves, with the login last and no start-up noise."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.system.serving import ROOT, base_env, free_port, get


def children(pid: int) -> set[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(child) for child in path.read_text().split()} if path.exists() else set()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "\nState:\tZ" in status.read_text())


def test_one_command_serves_the_site_beside_a_worker_and_stops_both(tmp_path):
    port = free_port()
    env = {**base_env(tmp_path), "DEBUG": "1", "NEWSROOM_TASKS": "database"}
    log = (tmp_path / "devserver.log").open("w+")
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "devserver", f"0.0.0.0:{port}"], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    try:
        deadline = time.monotonic() + 240
        while "Stop with Ctrl-C." not in (output := Path(log.name).read_text()):
            assert server.poll() is None and time.monotonic() < deadline, output
            time.sleep(0.3)
        assert get(f"http://127.0.0.1:{port}/admin/login/")[0] == 200
        spawned = children(server.pid)
        assert len(spawned) == 2  # runserver and db_worker
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    lines = [line for line in Path(log.name).read_text().splitlines() if line.strip()]
    assert f"  Admin: http://127.0.0.1:{port}/admin/" in lines  # where it serves, not 8000
    admin = lines.index(f"  Admin: http://127.0.0.1:{port}/admin/")
    summary = [line for line in lines[admin:] if not line.startswith("[")]  # the request log may follow
    assert summary[:2] == [lines[admin], "  username: demo-editor"] and summary[2].startswith("  password: ")
    assert summary[3:] == ["  Stop with Ctrl-C."]  # the login and the address are last
    noise = ["AXES: BEGIN", "Watching for file changes", "Performing system checks", "Quit the server"]
    assert not [line for line in lines if any(line.startswith(word) for word in noise)]
    assert not [pid for pid in spawned if alive(pid)]  # stopping it stopped the server and the worker
