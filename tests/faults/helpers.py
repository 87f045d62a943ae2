"""Private services and subprocesses for the fault tests (issue 9 part 3).

Nothing here touches the shared Redis or PostgreSQL server process: each test that needs
a broker outage starts its own ``redis-server`` on a free loopback port and stops it; the
PostgreSQL restart runs on a private cluster (``initdb`` in a temp folder) with the app
under gunicorn in a subprocess; other subprocesses (a Celery worker, the sweep) run
against the test database. Every process is stopped or killed by its own pid only.
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


def postgres_bindir() -> Path | None:
    """The folder of ``initdb``/``pg_ctl``: on PATH, else the newest Debian one."""
    on_path = shutil.which("initdb")
    if on_path and (Path(on_path).resolve().parent / "pg_ctl").exists():
        return Path(on_path).resolve().parent  # Debian links initdb into /usr/local/bin
    candidates = sorted(
        (
            p
            for p in Path("/usr/lib/postgresql").glob("*/bin")
            if (p / "initdb").exists() and (p / "pg_ctl").exists()
        ),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    return candidates[-1] if candidates else None


class PrivatePostgres:
    """A throw-away PostgreSQL cluster on 127.0.0.1:<port>, trust auth, in a temp folder.

    ``initdb`` refuses to run as root: as root the cluster belongs to the ``postgres``
    system user and every server command runs through ``runuser``; a developer who is not
    root runs them directly. The superuser is ``zhicheng`` (no password: trust).
    """

    USER = "zhicheng"

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.bindir = postgres_bindir()
        self.home: Path | None = None
        self.as_user: list[str] = []

    @staticmethod
    def unavailable_reason() -> str | None:
        if postgres_bindir() is None:
            return "PostgreSQL server binaries (initdb, pg_ctl) are not installed"
        if os.geteuid() == 0:
            import pwd

            try:
                pwd.getpwnam("postgres")
            except KeyError:
                return "running as root and there is no 'postgres' user to own a private cluster"
            if shutil.which("runuser") is None:
                return "running as root and 'runuser' is missing"
        return None

    @property
    def data(self) -> Path:
        assert self.home is not None
        return self.home / "data"

    def url(self, dbname: str) -> str:
        return f"postgres://{self.USER}@127.0.0.1:{self.port}/{dbname}"

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        assert self.bindir is not None
        cmd = [*self.as_user, str(self.bindir / args[0]), *args[1:]]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603
        if done.returncode != 0:
            log = self.home / "server.log" if self.home else None
            tail = log.read_text()[-2000:] if log and log.exists() else ""
            raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stdout}{done.stderr}\n{tail}")
        return done

    def start(self) -> PrivatePostgres:
        import tempfile

        reason = self.unavailable_reason()
        if reason:
            raise RuntimeError(reason)
        self.home = Path(tempfile.mkdtemp(prefix="zhicheng-pg-"))
        if os.geteuid() == 0:
            import pwd

            owner = pwd.getpwnam("postgres")
            os.chown(self.home, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            self.USER,
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
            "--no-instructions",
        )
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.home}'\n"
                # Durability against an OS crash is not under test (a process restart is).
                "fsync = off\nfull_page_writes = off\nshared_buffers = 32MB\nmax_connections = 40\n"
            )
        self.server_start()
        return self

    def server_start(self) -> None:
        """``pg_ctl start -w``: returns once the server accepts connections."""
        assert self.home is not None
        log = str(self.home / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-w", "-t", "60", "start")

    def server_stop(self, mode: str = "fast") -> None:
        """``pg_ctl stop -m fast`` (open transactions aborted, clients cut) or ``immediate``
        (every server process killed at once: a crash, WAL recovery at the next start)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def restart(self, mode: str = "fast", down: float = 0.0) -> None:
        """Stop the server with ``mode``, keep it down ``down`` seconds, start it again."""
        self.server_stop(mode)
        time.sleep(down)
        self.server_start()

    def stop(self) -> None:
        if self.home is None:
            return
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.home, ignore_errors=True)
            self.home = None

    def server_log(self) -> str:
        log = self.home / "server.log" if self.home else None
        return log.read_text(errors="replace") if log and log.exists() else ""


def postgres_copy(source_url: str, target: PrivatePostgres, dbname: str) -> None:
    """Copy a database (schema and rows) into a new database of the private cluster.

    ``pg_dump | psql``: about a second for the test database, where ``migrate`` on an
    empty database takes 10-15 s.
    """
    from urllib.parse import urlsplit

    assert target.bindir is not None
    src = urlsplit(source_url)
    env = {**os.environ, "PGPASSWORD": src.password or "", "PGCONNECT_TIMEOUT": "5"}
    psql = [
        str(target.bindir / "psql"),
        "-X",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-h",
        "127.0.0.1",
        "-p",
        str(target.port),
        "-U",
        target.USER,
    ]
    subprocess.run(
        [*psql, "-d", "postgres", "-c", f'CREATE DATABASE "{dbname}"'],  # noqa: S603
        check=True,
        env=env,
        capture_output=True,
    )
    dump = subprocess.Popen(  # noqa: S603
        [
            str(target.bindir / "pg_dump"),
            "--no-owner",
            "--no-privileges",
            "-h",
            src.hostname or "127.0.0.1",
            "-p",
            str(src.port or 5432),
            "-U",
            src.username or "",
            src.path.lstrip("/"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    load = subprocess.run(
        [*psql, "-d", dbname],
        stdin=dump.stdout,
        capture_output=True,
        env=env,  # noqa: S603
        check=False,
    )
    assert dump.stdout is not None
    dump.stdout.close()
    dump_err = dump.stderr.read() if dump.stderr else b""
    if dump.wait(60) != 0 or load.returncode != 0:
        raise RuntimeError(f"copying the database failed: {dump_err.decode()} {load.stderr.decode()[-2000:]}")


class AppServer:
    """The platform under gunicorn (``config/gunicorn.conf.py``) in a subprocess, killed by pid."""

    def __init__(self, env: dict[str, str], log: Path, workers: int = 3) -> None:
        self.port = free_port()
        self.log = log
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))},
            "PYTHONPATH": str(ROOT),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_THREADS": "1",
            "GUNICORN_PRELOAD": "1",  # import the app once, then fork: a faster start
            "DJANGO_LOG_FORMAT": "text",
            **env,
        }
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> AppServer:
        handle = self.log.open("ab")
        self.proc = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "config" / "gunicorn.conf.py")],
            cwd=ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )

        def live() -> bool:
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{self.log.read_text()[-3000:]}")
            return http_request("GET", f"{self.base}/healthz/live", timeout=2)[0] == 200

        wait_for(live, timeout, f"gunicorn did not answer:\n{self.log.read_text()[-3000:]}", every=0.2)
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                kill9(self.proc)
        self.proc = None


def http_request(
    method: str,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 30,
) -> tuple[int | None, bytes]:
    """One HTTP request, redirects not followed; ``(None, error text)`` if the connection failed."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request(
            method, parts.path + (f"?{parts.query}" if parts.query else ""), body=body, headers=headers or {}
        )
        response = conn.getresponse()
        return response.status, response.read()
    except OSError as exc:
        return None, str(exc).encode()
    finally:
        conn.close()
