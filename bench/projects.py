"""The benchmark's workloads: revision graphs written as one project per tool.

One graph of N revisions (each creating one table `t_<rev>`) is written as

    <dir>/retort.ini   <dir>/migrations/versions/<nnnnn>_<rev>.sql     (retort)
    <dir>/alembic_*.ini <dir>/alembic/versions/<nnnnn>_<rev>.py        (Alembic)
    <dir>/dbmate/<version>_<rev>.sql                                   (dbmate)

plus the lower-bound scripts: the same DDL and version-table statements as one
script in one transaction, for `sqlite3` and for `psql`.

dbmate has no revision graph (it applies files in version order), so it only
gets the linear graph.  Every revision does the same work in every tool:
`CREATE TABLE t_<rev> (id INTEGER)` up, `DROP TABLE t_<rev>` down.
"""

import os
import random
from dataclasses import dataclass, field
from typing import Dict, List, Set

CREATE_DATE = "2025-01-01 00:00:00.000000"

# Online and offline (--sql) modes, NullPool so the SQLite file is closed as
# soon as the command ends; no logging configuration (nothing to print).
ALEMBIC_ENV_PY = '''\
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config

if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"),
                      target_metadata=None, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()
'''


@dataclass
class Revision:
    rev: str
    parents: List[str] = field(default_factory=list)
    labels: List[str] = field(default_factory=list)
    depends_on: List[str] = field(default_factory=list)


class Graph:
    def __init__(self, name: str, seed: int):
        self.name = name
        self.rng = random.Random(seed)
        self.revisions: List[Revision] = []
        self._ids: Set[str] = set()

    def add(self, parents=(), labels=(), depends_on=()) -> str:
        while True:
            rid = "%012x" % self.rng.getrandbits(48)
            if rid not in self._ids:
                break
        self._ids.add(rid)
        self.revisions.append(Revision(rid, list(parents), list(labels), list(depends_on)))
        return rid

    def ids(self) -> List[str]:
        return [r.rev for r in self.revisions]

    def heads(self) -> List[str]:
        used = {p for r in self.revisions for p in r.parents}
        return [r.rev for r in self.revisions if r.rev not in used]


def linear(n: int, seed: int = 4242) -> Graph:
    g = Graph("linear", seed)
    prev = None
    for _ in range(n):
        prev = g.add([prev] if prev else [])
    return g


def branchy(n: int, seed: int = 777, max_heads: int = 4, max_labels: int = 8) -> Graph:
    """N revisions with labelled branches, merges and depends_on.

    Each step extends a head (most steps), forks a new branch off a recent
    revision (the first `max_labels` forks get a branch label), merges two heads, or extends a head with a depends_on on
    a revision of another branch.  A depends_on target is never a head, so no
    merge ever joins a revision with one of its own dependencies (Alembic
    1.8.1 mishandles that, issue 1373); it ends with at most `max_heads`
    heads.
    """
    g = Graph("branchy", seed)
    rng = g.rng
    heads: List[str] = [g.add(labels=["trunk"])]
    branch_of: Dict[str, int] = {heads[0]: 0}
    nbranch = 1
    recent: List[str] = list(heads)
    while len(g.revisions) < n:
        roll = rng.random()
        bases = [r for r in recent[-50:] if r not in heads]
        if roll < 0.06 and len(heads) < max_heads and bases:
            base = rng.choice(bases)
            # Labels flow to every descendant (Alembic's _add_branches), so
            # a graph with hundreds of labels costs labels x revisions in any
            # tool; real projects label a few long-lived branches.
            rid = g.add([base], labels=["b%d" % nbranch] if nbranch <= max_labels else [])
            branch_of[rid] = nbranch
            nbranch += 1
            heads.append(rid)
        elif roll < 0.12 and len(heads) >= 2:
            a, b = rng.sample(heads, 2)
            rid = g.add([a, b])
            branch_of[rid] = branch_of[a]
            heads = [h for h in heads if h not in (a, b)] + [rid]
        elif roll < 0.20 and len(heads) >= 2:
            i = rng.randrange(len(heads))
            others = [r for r in recent[-200:]
                      if branch_of[r] != branch_of[heads[i]] and r not in heads]
            deps = [rng.choice(others)] if others else []
            rid = g.add([heads[i]], depends_on=deps)
            branch_of[rid] = branch_of[heads[i]]
            heads[i] = rid
        else:
            i = rng.randrange(len(heads))
            rid = g.add([heads[i]])
            branch_of[rid] = branch_of[heads[i]]
            heads[i] = rid
        recent.append(g.revisions[-1].rev)
    return g


# ---- the files ---------------------------------------------------------------

def _py_tuple(items) -> str:
    return "None" if not items else "(" + "".join("%r, " % i for i in items) + ")"


def alembic_source(r: Revision, i: int) -> str:
    if not r.parents:
        down = "None"
    elif len(r.parents) == 1:
        down = repr(r.parents[0])
    else:
        down = _py_tuple(r.parents)
    return f'''"""rev {i}

Revision ID: {r.rev}
Revises: {", ".join(r.parents)}
Create Date: {CREATE_DATE}

"""
from alembic import op

revision = {r.rev!r}
down_revision = {down}
branch_labels = {_py_tuple(r.labels)}
depends_on = {_py_tuple(r.depends_on)}


def upgrade():
    op.execute("CREATE TABLE t_{r.rev} (id INTEGER)")


def downgrade():
    op.execute("DROP TABLE t_{r.rev}")
'''


def retort_source(r: Revision, i: int) -> str:
    return f"""-- rev {i}
--
-- Revision ID: {r.rev}
-- Revises: {", ".join(r.parents)}
-- Create Date: {CREATE_DATE}
-- Branch Labels: {", ".join(r.labels)}
-- Depends On: {", ".join(r.depends_on)}

-- migrate:upgrade
CREATE TABLE t_{r.rev} (id INTEGER);

-- migrate:downgrade
DROP TABLE t_{r.rev};
"""


def dbmate_source(r: Revision) -> str:
    return f"""-- migrate:up
CREATE TABLE t_{r.rev} (id INTEGER);

-- migrate:down
DROP TABLE t_{r.rev};
"""


def _write(path: str, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)


class Project:
    """One graph written for every tool, in folder `dir`."""

    def __init__(self, g: Graph, dir: str, with_dbmate: bool):
        self.graph = g
        self.dir = dir
        self.n = len(g.revisions)
        vdir = os.path.join(dir, "migrations", "versions")
        adir = os.path.join(dir, "alembic")
        ddir = os.path.join(dir, "dbmate")
        for d in (vdir, os.path.join(adir, "versions"), ddir):
            os.makedirs(d, exist_ok=True)
        _write(os.path.join(adir, "env.py"), ALEMBIC_ENV_PY)
        _write(os.path.join(adir, "script.py.mako"), "")
        width = max(5, len(str(self.n)))
        for i, r in enumerate(g.revisions, 1):
            stem = "%0*d_%s" % (width, i, r.rev)
            _write(os.path.join(vdir, stem + ".sql"), retort_source(r, i))
            _write(os.path.join(adir, "versions", stem + ".py"), alembic_source(r, i))
            if with_dbmate:
                # dbmate orders by the numeric version before the first '_'
                _write(os.path.join(ddir, "2025%010d_%s.sql" % (i, r.rev)), dbmate_source(r))
        _write(os.path.join(dir, "retort.ini"),
               "[retort]\nscript_location = migrations\nurl = sqlite:///retort.db\n"
               "version_table = alembic_version\n")
        self.dbmate_dir = ddir
        self._write_lower_bound_scripts()

    def alembic_ini(self, name: str, url: str) -> str:
        ini = os.path.join(self.dir, "alembic_%s.ini" % name)
        _write(ini, "[alembic]\nscript_location = %s\nsqlalchemy.url = %s\n"
               % (os.path.join(self.dir, "alembic"), url))
        return ini

    def _write_lower_bound_scripts(self) -> None:
        """What `upgrade head` / `downgrade base` boil down to: the DDL plus the
        version-table statements, one script, one transaction."""
        ids = self.graph.ids()
        heads = self.graph.heads()
        self.up_sql = os.path.join(self.dir, "lower_up.sql")
        self.down_sql = os.path.join(self.dir, "lower_down.sql")
        with open(self.up_sql, "w") as f:
            f.write("BEGIN;\n")
            f.write("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));\n")
            for r in ids:
                f.write("CREATE TABLE t_%s (id INTEGER);\n" % r)
            for h in heads:
                f.write("INSERT INTO alembic_version (version_num) VALUES ('%s');\n" % h)
            f.write("COMMIT;\n")
        with open(self.down_sql, "w") as f:
            f.write("BEGIN;\n")
            for r in reversed(ids):
                f.write("DROP TABLE t_%s;\n" % r)
            f.write("DELETE FROM alembic_version;\nCOMMIT;\n")
