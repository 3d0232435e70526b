"""Write one Graph as an Alembic project and as a retort project.

Both projects live side by side in one folder:

    <dir>/alembic.ini  <dir>/alembic/env.py  <dir>/alembic/versions/0001_<rev>.py
    <dir>/retort.ini   <dir>/migrations/versions/0001_<rev>.sql

The 4-digit prefix is the generation order, so file-name order equals
generation order in both projects (Alembic 1.8.1 actually reads the folder in
directory order, retort in file-name order; the prefix makes both agree
whenever the order matters).
"""

import os
from typing import Optional

from graphs import Graph, Revision

CREATE_DATE = "2025-01-01 00:00:00.000000"

# A minimal online-only env.py: no logging config (keeps captured output to
# what the command itself prints) and NullPool so the SQLite file is closed
# as soon as the command ends.
ENV_PY = '''\
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config

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


def _py_tuple(items) -> str:
    if not items:
        return "None"
    return "(" + "".join("%r, " % i for i in items) + ")"


def alembic_revision_source(r: Revision) -> str:
    if not r.parents:
        down = "None"
    elif len(r.parents) == 1:
        down = repr(r.parents[0])
    else:
        down = _py_tuple(r.parents)  # a merge: tuple, like `alembic merge`
    return f'''"""{r.message}

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
    op.execute("CREATE TABLE IF NOT EXISTS t_{r.rev} (id INTEGER)")


def downgrade():
    op.execute("DROP TABLE IF EXISTS t_{r.rev}")
'''


def retort_revision_source(r: Revision) -> str:
    """SPEC §2 revision file: comment header, then the two sections."""
    return f"""-- {r.message}
--
-- Revision ID: {r.rev}
-- Revises: {", ".join(r.parents)}
-- Create Date: {CREATE_DATE}
-- Branch Labels: {", ".join(r.labels)}
-- Depends On: {", ".join(r.depends_on)}

-- migrate:upgrade
CREATE TABLE IF NOT EXISTS t_{r.rev} (id INTEGER);

-- migrate:downgrade
DROP TABLE IF EXISTS t_{r.rev};
"""


def _write(path: str, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)


def write_alembic_ini(proj: str, db_path: str, ini_name: str = "alembic.ini") -> str:
    """(Re)write an alembic.ini pointing at db_path; returns the ini path.
    Absolute paths: Alembic runs in-process, whose cwd is not the project."""
    ini = os.path.join(proj, ini_name)
    _write(ini, "[alembic]\nscript_location = %s\nsqlalchemy.url = sqlite:///%s\n"
           % (os.path.join(proj, "alembic"), os.path.abspath(db_path)))
    return ini


def write_retort_ini(proj: str, db_name: str) -> str:
    """(Re)write retort.ini.  The URL is relative (`sqlite:///<name>`), as a
    user writes it; retort runs with cwd = the project folder."""
    ini = os.path.join(proj, "retort.ini")
    _write(ini, "[retort]\nscript_location = migrations\nurl = sqlite:///%s\n"
           "version_table = alembic_version\n" % db_name)
    return ini


def write_projects(g: Graph, proj: str, db_name: Optional[str] = None) -> None:
    """Write both projects for graph g into folder proj."""
    adir = os.path.join(proj, "alembic")
    os.makedirs(os.path.join(adir, "versions"), exist_ok=True)
    os.makedirs(os.path.join(proj, "migrations", "versions"), exist_ok=True)
    _write(os.path.join(adir, "env.py"), ENV_PY)
    _write(os.path.join(adir, "script.py.mako"), "")
    width = max(4, len(str(len(g.revisions))))
    for i, r in enumerate(g.revisions, 1):
        stem = "%0*d_%s" % (width, i, r.rev)
        _write(os.path.join(adir, "versions", stem + ".py"), alembic_revision_source(r))
        _write(os.path.join(proj, "migrations", "versions", stem + ".sql"),
               retort_revision_source(r))
    db = db_name or "retort.db"
    write_retort_ini(proj, db)
    write_alembic_ini(proj, os.path.join(proj, "alembic.db"))
