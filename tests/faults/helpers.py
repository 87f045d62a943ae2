"""Private services and subprocesses for the fault tests (issue 9 part 3).

Nothing here touches the shared Redis or PostgreSQL server process: each test that needs
a broker outage starts its own ``redis-server`` on a free loopback port and stops it;
subprocesses (a Celery worker, the sweep) run against the test database and are killed
by their own pid only.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A throw-away redis-server on 127.0.0.1:<port>, no persistence."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        exe = shutil.which("redis-server")
        if exe is None:
            raise RuntimeError("redis-server is not installed")
        self.proc = subprocess.Popen(  # noqa: S603
            [exe, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.ping, 10, "private redis did not start")
        return self

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None

    def queue_length(self, name: str = "celery") -> int:
        import redis

        return int(redis.Redis.from_url(self.url).llen(name))


def wait_for(predicate: Callable[[], object], timeout: float, message: str, every: float = 0.1) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(message)


def database_url() -> str:
    """The URL of the database the test runs on (the ``test_`` database)."""
    db = settings.DATABASES["default"]
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


def subprocess_env(**extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "PYTHONPATH": str(ROOT),
        "FAULT_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "FAULT_SEAL_KEYS_DIR": str(settings.SEAL_KEYS_DIR),
        "FAULT_SEAL_TRUST_ROOTS": os.pathsep.join(settings.SEAL_TRUST_ROOTS),
        "FAULT_SEAL_P12_PASSWORD": settings.SEAL_P12_PASSWORD,
    }
    env.update(extra)
    return env


def python_subprocess(module: str, *args: str, log: Path, **env: str) -> subprocess.Popen[bytes]:
    handle = log.open("ab")
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=subprocess_env(**env),
        stdout=handle,
        stderr=subprocess.STDOUT,
    )


def kill9(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.kill()  # SIGKILL: no cleanup, no ack, no rollback by the process itself
    proc.wait(10)
