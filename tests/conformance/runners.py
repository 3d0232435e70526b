"""Run a command through Alembic (in-process) or retort (a process), and read
back the database state.

Both "systems" share one interface:  system.start_session(db_name) points it at
a fresh SQLite file; system.run(argv) -> Result; system.db_path.
"""

import io
import os
import sqlite3
import subprocess
import sys
import traceback
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from typing import List, Set

from writers import write_alembic_ini, write_retort_ini


@dataclass
class Result:
    ok: bool
    code: int
    out: str
    err: str
    crashed: bool = False   # Alembic raised something other than CommandError


# ---- database state --------------------------------------------------------

def version_rows(db_path: str) -> List[str]:
    """Rows of alembic_version, sorted (a set: row order is not semantics)."""
    if not os.path.exists(db_path):
        return []
    con = sqlite3.connect(db_path)
    try:
        has = con.execute("SELECT 1 FROM sqlite_master WHERE type='table' "
                          "AND name='alembic_version'").fetchone()
        if not has:
            return []
        return sorted(r[0] for r in con.execute("SELECT version_num FROM alembic_version"))
    finally:
        con.close()


def version_rows_in_table_order(db_path: str) -> List[str]:
    """Rows in rowid order; `downgrade -1` with several rows starts from the
    first row Alembic reads, so this order matters for that command only."""
    con = sqlite3.connect(db_path)
    try:
        return [r[0] for r in con.execute("SELECT version_num FROM alembic_version ORDER BY rowid")]
    finally:
        con.close()


def set_version_rows(db_path: str, rows: List[str]) -> None:
    """Rewrite the version rows in the given order (used to explore
    1.8.1's order-dependent choices and to resynchronise after a documented
    difference)."""
    con = sqlite3.connect(db_path)
    try:
        con.execute("CREATE TABLE IF NOT EXISTS alembic_version "
                    "(version_num VARCHAR(32) NOT NULL, "
                    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))")
        con.execute("DELETE FROM alembic_version")
        con.executemany("INSERT INTO alembic_version (version_num) VALUES (?)", [(r,) for r in rows])
        con.commit()
    finally:
        con.close()


def user_tables(db_path: str) -> Set[str]:
    """The t_<rev> tables: one per applied revision (retort may keep its own
    bookkeeping tables; those are not compared)."""
    if not os.path.exists(db_path):
        return set()
    con = sqlite3.connect(db_path)
    try:
        return {r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 't\\_%' ESCAPE '\\'")}
    finally:
        con.close()


# ---- Alembic, in-process -----------------------------------------------------

class AlembicSystem:
    """Alembic 1.8.1 run in this python process (spawning costs ~0.3 s per
    command; in-process it is a few ms plus loading the versions)."""

    name = "alembic"

    def __init__(self, proj: str, ini_name: str = "alembic.ini"):
        self.proj = proj
        self.ini_name = ini_name
        self.db_path = ""
        self.ini = ""

    def start_session(self, db_name: str) -> None:
        self.db_path = os.path.join(self.proj, db_name)
        if os.path.exists(self.db_path):
            os.remove(self.db_path)
        self.ini = write_alembic_ini(self.proj, self.db_path, self.ini_name)

    def run(self, argv: List[str]) -> Result:
        # Same steps as alembic.config.main(), but with our own stdout buffer:
        # Config's stdout default is bound to sys.stdout at import time, so
        # redirect_stdout alone would not capture print_stdout().
        from alembic.config import CommandLine, Config
        out, err = io.StringIO(), io.StringIO()
        code = 0
        crashed = False
        with redirect_stdout(out), redirect_stderr(err):
            try:
                cl = CommandLine(prog="alembic")
                options = cl.parser.parse_args(["-c", self.ini] + argv)
                cfg = Config(file_=options.config, ini_section=options.name,
                             cmd_opts=options, stdout=out)
                cl.run_cmd(cfg, options)
            except SystemExit as e:
                # util.err() exits with -1 on CommandError; argparse with 2.
                code = e.code if isinstance(e.code, int) else 1
            except Exception:  # anything else escaping alembic is a failure too
                traceback.print_exc(file=err)
                code, crashed = 1, True
        return Result(code == 0, code, out.getvalue(), err.getvalue(), crashed)


# ---- retort, as a process -------------------------------------------------------

class RetortSystem:
    name = "retort"

    def __init__(self, proj: str, binary: str):
        self.proj = proj
        self.binary = os.path.abspath(binary)
        self.db_path = ""
        # Nothing from the caller's environment may redirect retort elsewhere.
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("DATABASE_URL", "RETORT_CONFIG")}

    def start_session(self, db_name: str) -> None:
        self.db_path = os.path.join(self.proj, db_name)
        if os.path.exists(self.db_path):
            os.remove(self.db_path)
        write_retort_ini(self.proj, db_name)

    def run(self, argv: List[str]) -> Result:
        try:
            p = subprocess.run([self.binary] + argv, cwd=self.proj, env=self.env,
                               capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired as e:
            return Result(False, -9, e.stdout or "", "timeout after 60 s")
        return Result(p.returncode == 0, p.returncode, p.stdout, p.stderr)
