"""Run a command through Alembic (in-process) or retort (a process), and read
back the database state.

Both "systems" share one interface:  system.start_session(db_name) points it at
a fresh database (a SQLite file, or a MySQL database when use_mysql() was
called); system.run(argv) -> Result; system.db_path (the file, or the MySQL
database's name) and system.backend (reads and sets its state).
"""

import io
import os
import re
import shutil
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
#
# A backend knows where a session's database lives and how to read and set
# its state.  A handle is what a system's db_path holds: the SQLite file's
# path, or the MySQL database's name.

class SqliteBackend:
    kind = "sqlite"

    def fresh(self, proj: str, name: str) -> str:
        path = os.path.join(proj, name)
        if os.path.exists(path):
            os.remove(path)
        return path

    def alembic_url(self, handle: str) -> str:
        return "sqlite:///%s" % os.path.abspath(handle)

    def retort_url(self, handle: str) -> str:
        # relative, as a user writes it; retort runs with cwd = the project
        return "sqlite:///%s" % os.path.basename(handle)

    def version_rows(self, db_path: str) -> List[str]:
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

    def version_rows_in_table_order(self, db_path: str) -> List[str]:
        con = sqlite3.connect(db_path)
        try:
            return [r[0] for r in con.execute("SELECT version_num FROM alembic_version ORDER BY rowid")]
        finally:
            con.close()

    def set_version_rows(self, db_path: str, rows: List[str]) -> None:
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

    def user_tables(self, db_path: str) -> Set[str]:
        if not os.path.exists(db_path):
            return set()
        con = sqlite3.connect(db_path)
        try:
            return {r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 't\\_%' ESCAPE '\\'")}
        finally:
            con.close()

    def sqlite_copy(self, handle: str, dest: str) -> None:
        """dest: a SQLite file with the same version rows (same order) and
        t_ tables (where Alembic's order-dependent choices are explored)."""
        shutil.copyfile(handle, dest)

    def restore_from_sqlite(self, handle: str, src: str) -> None:
        shutil.copyfile(src, handle)

    def drop_all(self) -> None:
        pass


SQLITE = SqliteBackend()


class MysqlBackend:
    """Sessions on a MySQL/MariaDB server: each session's database is
    created fresh (DROP DATABASE + CREATE DATABASE) under a name prefixed
    with `prefix`; server_url is mysql://user:password@host:port/any."""

    kind = "mysql"

    def __init__(self, server_url: str, prefix: str = "conf_"):
        import pymysql  # Debian's python3-pymysql, also Alembic's driver here
        from urllib.parse import unquote, urlsplit
        self.pymysql = pymysql
        u = urlsplit(server_url)
        if u.scheme.split("+")[0] not in ("mysql", "mariadb") or not u.hostname:
            raise ValueError("not a mysql://user:password@host:port/db URL: %s" % server_url)
        self.user = unquote(u.username or "")
        self.password = unquote(u.password or "")
        self.host = u.hostname
        self.port = u.port or 3306
        self.prefix = prefix
        self.created: Set[str] = set()
        self._con = None

    def _server(self):
        if self._con is None:
            self._con = self.pymysql.connect(host=self.host, port=self.port, user=self.user,
                                             password=self.password, autocommit=True)
        return self._con

    def _db(self, name: str):
        return self.pymysql.connect(host=self.host, port=self.port, user=self.user,
                                    password=self.password, database=name, autocommit=True)

    def _exists(self, name: str) -> bool:
        with self._server().cursor() as c:
            c.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", (name,))
            return c.fetchone() is not None

    def fresh(self, proj: str, name: str) -> str:
        db = self.prefix + re.sub(r"[^A-Za-z0-9_]", "_", name.rsplit(".db", 1)[0])
        with self._server().cursor() as c:
            c.execute("DROP DATABASE IF EXISTS `%s`" % db)
            c.execute("CREATE DATABASE `%s`" % db)
        self.created.add(db)
        return db

    def _url(self, scheme: str, db: str) -> str:
        from urllib.parse import quote
        return "%s://%s:%s@%s:%d/%s" % (scheme, quote(self.user, safe=""),
                                        quote(self.password, safe=""), self.host, self.port, db)

    def alembic_url(self, db: str) -> str:
        return self._url("mysql+pymysql", db)

    def retort_url(self, db: str) -> str:
        return self._url("mysql", db)

    def _has_version_table(self, c, db: str) -> bool:
        c.execute("SELECT 1 FROM information_schema.tables WHERE table_schema = %s "
                  "AND table_name = 'alembic_version'", (db,))
        return c.fetchone() is not None

    def version_rows(self, db: str) -> List[str]:
        return sorted(self.version_rows_in_table_order(db))

    def version_rows_in_table_order(self, db: str) -> List[str]:
        """In the order Alembic's SELECT reads them (InnoDB: key order)."""
        with self._server().cursor() as c:
            if not self._has_version_table(c, db):
                return []
            c.execute("SELECT version_num FROM `%s`.alembic_version" % db)
            return [r[0] for r in c.fetchall()]

    def set_version_rows(self, db: str, rows: List[str]) -> None:
        with self._server().cursor() as c:
            c.execute("CREATE TABLE IF NOT EXISTS `%s`.alembic_version "
                      "(version_num VARCHAR(32) NOT NULL, "
                      "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))" % db)
            c.execute("DELETE FROM `%s`.alembic_version" % db)
            for r in rows:
                c.execute("INSERT INTO `%s`.alembic_version (version_num) VALUES (%%s)" % db, (r,))

    def user_tables(self, db: str) -> Set[str]:
        with self._server().cursor() as c:
            c.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
                      "AND table_name LIKE 't\\_%%'", (db,))
            return {r[0] for r in c.fetchall()}

    def sqlite_copy(self, db: str, dest: str) -> None:
        if os.path.exists(dest):
            os.remove(dest)
        con = sqlite3.connect(dest)
        try:
            for t in sorted(self.user_tables(db)):
                con.execute("CREATE TABLE %s (id INTEGER)" % t)
            con.commit()
        finally:
            con.close()
        if self._exists_table(db, "alembic_version"):
            SQLITE.set_version_rows(dest, self.version_rows_in_table_order(db))

    def _exists_table(self, db: str, table: str) -> bool:
        with self._server().cursor() as c:
            c.execute("SELECT 1 FROM information_schema.tables WHERE table_schema = %s "
                      "AND table_name = %s", (db, table))
            return c.fetchone() is not None

    def restore_from_sqlite(self, db: str, src: str) -> None:
        want = SQLITE.user_tables(src)
        have = self.user_tables(db)
        with self._server().cursor() as c:
            for t in sorted(have - want):
                c.execute("DROP TABLE `%s`.`%s`" % (db, t))
            for t in sorted(want - have):
                c.execute("CREATE TABLE `%s`.`%s` (id INTEGER)" % (db, t))
        self.set_version_rows(db, SQLITE.version_rows_in_table_order(src))

    def drop_all(self) -> None:
        with self._server().cursor() as c:
            for db in sorted(self.created):
                c.execute("DROP DATABASE IF EXISTS `%s`" % db)
        self.created.clear()


BACKEND = SQLITE   # replaced by use_mysql()


def use_mysql(server_url: str) -> "MysqlBackend":
    global BACKEND
    BACKEND = MysqlBackend(server_url)
    return BACKEND


def version_rows(db) -> List[str]:
    """Rows of alembic_version, sorted (a set: row order is not semantics)."""
    return BACKEND.version_rows(db)


def version_rows_in_table_order(db) -> List[str]:
    """Rows in table order; `downgrade -1` with several rows starts from the
    first row Alembic reads, so this order matters for that command only."""
    return BACKEND.version_rows_in_table_order(db)


def set_version_rows(db, rows: List[str]) -> None:
    """Rewrite the version rows in the given order (used to explore
    1.8.1's order-dependent choices and to resynchronise after a documented
    difference)."""
    BACKEND.set_version_rows(db, rows)


def user_tables(db) -> Set[str]:
    """The t_<rev> tables: one per applied revision (retort may keep its own
    bookkeeping tables; those are not compared)."""
    return BACKEND.user_tables(db)


# ---- Alembic, in-process -----------------------------------------------------

class AlembicSystem:
    """Alembic 1.8.1 run in this python process (spawning costs ~0.3 s per
    command; in-process it is a few ms plus loading the versions)."""

    name = "alembic"

    def __init__(self, proj: str, ini_name: str = "alembic.ini", backend=None):
        self.proj = proj
        self.ini_name = ini_name
        self.backend = backend or BACKEND
        self.db_path = ""
        self.ini = ""

    def start_session(self, db_name: str) -> None:
        self.db_path = self.backend.fresh(self.proj, db_name)
        self.ini = write_alembic_ini(self.proj, self.backend.alembic_url(self.db_path),
                                     self.ini_name)

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
        self.backend = BACKEND
        self.db_path = ""
        # Nothing from the caller's environment may redirect retort elsewhere.
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("DATABASE_URL", "RETORT_CONFIG")}

    def start_session(self, db_name: str) -> None:
        self.db_path = self.backend.fresh(self.proj, db_name)
        write_retort_ini(self.proj, self.backend.retort_url(self.db_path))

    def run(self, argv: List[str]) -> Result:
        try:
            p = subprocess.run([self.binary] + argv, cwd=self.proj, env=self.env,
                               capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired as e:
            return Result(False, -9, e.stdout or "", "timeout after 60 s")
        return Result(p.returncode == 0, p.returncode, p.stdout, p.stderr)
