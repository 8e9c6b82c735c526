"""A throwaway PostgreSQL server for tests and benchmarks (initdb -A trust in a temp directory).

Runs the server binaries as the `postgres` user when we are root (PostgreSQL refuses root).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass
class PgServer:
    url: str
    base: Path
    run_as: list[str]
    bindir: Path

    def stop(self) -> None:
        subprocess.run([*self.run_as, str(self.bindir / "pg_ctl"), "-D", str(self.base / "data"), "-m", "immediate",
                        "stop"], capture_output=True, check=False)  # fmt: skip
        shutil.rmtree(self.base, ignore_errors=True)


def find_bindir() -> Path | None:
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def why_not() -> str | None:
    """None if `start()` can work here, else the reason it cannot."""
    if find_bindir() is None:
        return "PostgreSQL server binaries (initdb, pg_ctl) not found; set MARSAD_TEST_PG=postgresql://..."
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run initdb as"
    return None


def start(*, fsync: bool = False) -> PgServer:
    """Start a server on a free localhost port; `fsync=False` for tests, True for honest benchmarks."""
    bindir = find_bindir()
    assert bindir is not None, why_not()
    base = Path(tempfile.mkdtemp(prefix="marsad-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(base, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    data = base / "data"
    subprocess.run([*run_as, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                    "--no-sync", "--locale=C"], check=True, capture_output=True)  # fmt: skip
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1" + ("" if fsync else " -c fsync=off")
    subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(base / "log"), "-w",
                    "start"], check=True, capture_output=True)  # fmt: skip
    return PgServer(f"postgresql://postgres@127.0.0.1:{port}/postgres", base, run_as, bindir)


def create_database(admin_url: str, name: str, *, ctype: str | None = None) -> str:
    """Create database `name` (a plain identifier we choose) and return its URL. `ctype` (such as
    "C.UTF-8") sets its LC_CTYPE: pg_trgm extracts no trigram from Arabic under the server's C."""
    import pg8000.dbapi

    from marsad.store.backend import parse_pg_url

    p = parse_pg_url(admin_url)
    conn = pg8000.dbapi.connect(user=p.user, host=p.host, port=p.port, database=p.database, password=p.password)
    conn.autocommit = True
    cursor = conn.cursor()
    cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    cursor.execute(f'CREATE DATABASE "{name}"' + (f" TEMPLATE template0 LC_CTYPE '{ctype}'" if ctype else ""))
    conn.close()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"
