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
from typing import List, Optional

from graphs import Graph, Revision

CREATE_DATE = "2025-01-01 00:00:00.000000"

# A minimal env.py: no logging config (keeps captured output to what the
# command itself prints), NullPool so the SQLite file is closed as soon as
# the command ends, and offline mode (--sql) as `alembic init` writes it.
ENV_PY = '''\
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config

if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
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

# Graphs with several version_locations: the folders, in listed order, are
# kept in this file of the project so that every (re)written ini lists them.
LOCATIONS_FILE = "version_locations.txt"

# A revision left in the unlisted versions/ folders: neither tool may read it
# (`upgrade heads` would create t_decoy00000001).
DECOY = Revision("decoy00000001", message="not in a listed folder")


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


def _listed_folders(proj: str) -> List[str]:
    path = os.path.join(proj, LOCATIONS_FILE)
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return f.read().split()


def write_alembic_ini(proj: str, url: str, ini_name: str = "alembic.ini") -> str:
    """(Re)write an alembic.ini pointing at url; returns the ini path.
    Absolute paths: Alembic runs in-process, whose cwd is not the project."""
    ini = os.path.join(proj, ini_name)
    text = "[alembic]\nscript_location = %s\nsqlalchemy.url = %s\n" % (
        os.path.join(proj, "alembic"), url.replace("%", "%%"))
    folders = _listed_folders(proj)
    if folders:
        text += "version_locations = %s\n" % " ".join(
            os.path.join(proj, "alembic", f) for f in folders)
    _write(ini, text)
    return ini


def write_retort_ini(proj: str, url: str) -> str:
    """(Re)write retort.ini.  A SQLite URL is relative (`sqlite:///<name>`),
    as a user writes it; retort runs with cwd = the project folder."""
    ini = os.path.join(proj, "retort.ini")
    text = ("[retort]\nscript_location = migrations\nurl = %s\n"
            "version_table = alembic_version\n" % url)
    folders = _listed_folders(proj)
    if folders:
        text += "version_locations = %s\n" % " ".join("migrations/" + f for f in folders)
    _write(ini, text)
    return ini


def write_projects(g: Graph, proj: str, db_name: Optional[str] = None) -> None:
    """Write both projects for graph g into folder proj."""
    adir = os.path.join(proj, "alembic")
    os.makedirs(os.path.join(adir, "versions"), exist_ok=True)
    os.makedirs(os.path.join(proj, "migrations", "versions"), exist_ok=True)
    _write(os.path.join(adir, "env.py"), ENV_PY)
    _write(os.path.join(adir, "script.py.mako"), "")
    width = max(4, len(str(len(g.revisions))))
    if g.listed:
        _write(os.path.join(proj, LOCATIONS_FILE), " ".join("v%d" % k for k in g.listed))
        for k in g.listed:
            os.makedirs(os.path.join(adir, "v%d" % k), exist_ok=True)
            os.makedirs(os.path.join(proj, "migrations", "v%d" % k), exist_ok=True)
        _write(os.path.join(adir, "versions", "0000_decoy.py"), alembic_revision_source(DECOY))
        _write(os.path.join(proj, "migrations", "versions", "0000_decoy.sql"),
               retort_revision_source(DECOY))
    for i, r in enumerate(g.revisions, 1):
        stem = "%0*d_%s" % (width, i, r.rev)
        folder = "v%d" % g.folders[r.rev] if g.listed else "versions"
        _write(os.path.join(adir, folder, stem + ".py"), alembic_revision_source(r))
        _write(os.path.join(proj, "migrations", folder, stem + ".sql"),
               retort_revision_source(r))
    db = db_name or "retort.db"
    write_retort_ini(proj, "sqlite:///" + db)
    write_alembic_ini(proj, "sqlite:///" + os.path.join(proj, "alembic.db"))
