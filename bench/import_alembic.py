#!/usr/bin/env python3
"""How long `retort import alembic` takes on a generated Alembic project.

    python3 bench/import_alembic.py --retort build/retort [--n 1000] [--runs 3]

Writes an Alembic project of N revisions (a chain with a branch and merge
every 50 revisions; each revision creates a table with an index, adds a
column and inserts a row; downgrades undo it), then times, each --runs
times: `retort import alembic --dialect sqlite` (header reading, Alembic's
offline rendering in one Python process, writing), and for reference
`alembic upgrade heads --sql` on the same project (Alembic loading and
rendering everything once). Prints the medians. Needs Debian's alembic.
"""
import argparse, os, shutil, statistics, subprocess, tempfile, time

REVISION = '''"""step {i}

Revision ID: {rev}
Revises: {down_text}
Create Date: 2024-01-01 00:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = "{rev}"
down_revision = {down}
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("t{i}", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("name", sa.String(50), nullable=False))
    op.create_index("ix_t{i}_name", "t{i}", ["name"])
    op.add_column("t{i}", sa.Column("note", sa.Text()))
    op.execute("INSERT INTO t{i} (id, name) VALUES (1, 'first')")


def downgrade():
    op.drop_index("ix_t{i}_name", table_name="t{i}")
    op.drop_table("t{i}")
'''


def write_project(root, n):
    versions = os.path.join(root, "migrations", "versions")
    os.makedirs(versions)
    with open(os.path.join(root, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = migrations\nsqlalchemy.url = sqlite:///bench.db\n")
    with open(os.path.join(root, "migrations", "env.py"), "w") as f:
        f.write(
            "from alembic import context\n"
            "context.configure(url=context.config.get_main_option('sqlalchemy.url'),"
            " literal_binds=True)\n"
            "with context.begin_transaction():\n    context.run_migrations()\n")
    def write(i, parents):
        rev = "%012x" % (i + 1)
        down = (repr(None) if not parents else
                repr(parents[0]) if len(parents) == 1 else repr(tuple(parents)))
        with open(os.path.join(versions, "%s_step_%d.py" % (rev, i)), "w") as f:
            f.write(REVISION.format(i=i, rev=rev, down=down, down_text=", ".join(parents)))
        return rev

    prev, i = None, 0
    while i < n:
        if i % 50 == 10 and i + 2 < n:  # a branch of two, merged by the next
            a = write(i, [prev])
            b = write(i + 1, [prev])
            prev = write(i + 2, [a, b])
            i += 3
        else:
            prev = write(i, [prev] if prev else [])
            i += 1


def timed(argv, cwd):
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--retort", required=True)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    retort = os.path.abspath(args.retort)
    with tempfile.TemporaryDirectory() as root:
        write_project(root, args.n)
        imports, renders = [], []
        for _ in range(args.runs):
            shutil.rmtree(os.path.join(root, "retort"), ignore_errors=True)
            imports.append(timed([retort, "import", "alembic", "--dialect", "sqlite"], root))
            renders.append(timed(["alembic", "upgrade", "heads", "--sql"], root))
        count = len(os.listdir(os.path.join(root, "retort", "migrations", "versions")))
        print("revisions: %d (imported files: %d)" % (args.n, count))
        print("retort import alembic: median %.2f s (runs: %s)"
              % (statistics.median(imports), ", ".join("%.2f" % t for t in imports)))
        print("alembic upgrade heads --sql: median %.2f s (runs: %s)"
              % (statistics.median(renders), ", ".join("%.2f" % t for t in renders)))


if __name__ == "__main__":
    main()
