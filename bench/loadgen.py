"""Throughput for `manage.py bench`: gunicorn on loopback, load from wrk (or a Python fallback).

Traffic goes to 127.0.0.1 only, and every run is bounded in time.
"""

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
HELLO_PATH = "/__hello__"


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def fetch(port, path, cookie=None, timeout=30):
    """One GET, no redirects followed: (status, body text). `cookie`: the Cookie header."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        headers = {"Cookie": cookie} if cookie else {}
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


class Gunicorn:
    """`gunicorn bench.wsgi:application` with 2 workers, stopped on exit."""

    def __init__(
        self, *, base_dir, database_url, secret_key, workers=2, log=None, env=None, options=()
    ):
        self.base_dir = Path(base_dir)
        self.extra_env = dict(env or {})
        self.options = list(options)  # more gunicorn options, e.g. ["--threads", "4"]
        self.secret_key = secret_key  # the sessions made in-process are signed with it
        self.database_url = database_url
        self.workers = workers
        self.port = free_port()
        self.log = log
        self.process = None

    def __enter__(self):
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="portal.settings",
            DEBUG="0",
            SECRET_KEY=self.secret_key,
            ALLOWED_HOSTS=HOST,
            SECURE_SSL_REDIRECT="0",
            DATABASE_URL=self.database_url,
            LOG_LEVEL="WARNING",
        )
        env.update(self.extra_env)
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--log-level",
            "warning",
            "--chdir",
            str(self.base_dir),
            *self.options,
        ]
        self.process = subprocess.Popen(  # noqa: S603
            command,
            env=env,
            cwd=self.base_dir,
            stdout=self.log or subprocess.DEVNULL,
            stderr=self.log or subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def _wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with code {self.process.returncode}")
            try:
                status, _ = fetch(self.port, HELLO_PATH, timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer on port {self.port} within {timeout} s")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        # The process group is gunicorn's own (start_new_session): its master and workers.
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        except ProcessLookupError:
            pass


@dataclass
class LoadResult:
    tool: str
    requests: int
    seconds: float
    errors: int

    @property
    def rps(self):
        return self.requests / self.seconds if self.seconds else 0.0


def find_wrk(install=True):
    """wrk's path; tries Debian's package once when missing and we are root."""
    path = shutil.which("wrk")
    if path or not install:
        return path
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None
    try:
        subprocess.run(  # noqa: S603
            ["apt-get", "install", "-y", "-q", "wrk"],  # noqa: S607
            check=False,
            capture_output=True,
            timeout=180,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return shutil.which("wrk")


def run_wrk(wrk, port, path, cookie, *, duration, connections):
    command = [
        wrk,
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://{HOST}:{port}{path}")
    out = subprocess.run(  # noqa: S603
        command, check=True, capture_output=True, text=True, timeout=duration + 60
    ).stdout
    summary = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)\b", out)
    if summary is None:
        raise RuntimeError(f"Could not read wrk's output:\n{out}")
    requests = int(summary.group(1))
    seconds = float(summary.group(2)) * {"ms": 0.001, "s": 1, "m": 60}[summary.group(3)]
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        errors += int(non_2xx.group(1))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return LoadResult("wrk", requests, seconds, errors)


def run_threads(port, path, cookie, *, duration, connections, max_requests=100_000):
    """Fallback: `connections` threads sending requests one after another for `duration` s."""
    lock = threading.Lock()
    counts = {"requests": 0, "errors": 0}
    deadline = time.monotonic() + duration

    def worker():
        while time.monotonic() < deadline:
            with lock:
                if counts["requests"] >= max_requests:
                    return
            try:
                status, _ = fetch(port, path, cookie, timeout=10)
                ok = status == 200
            except OSError:
                ok = False
            with lock:
                counts["requests"] += 1
                counts["errors"] += 0 if ok else 1

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=connections) as pool:
        for _ in range(connections):
            pool.submit(worker)
    return LoadResult("python", counts["requests"], time.monotonic() - start, counts["errors"])


def run_load(wrk, port, path, cookie, *, duration, connections):
    if wrk:
        return run_wrk(wrk, port, path, cookie, duration=duration, connections=connections)
    return run_threads(port, path, cookie, duration=duration, connections=connections)
