"""backfill email domains row by row

Revision ID: 0003
Revises: 0002
Create Date: 2024-03-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("accounts", sa.Column("domain", sa.String(200), nullable=True))
    conn = op.get_bind()
    for row in conn.execute(sa.text("SELECT id, email FROM accounts")):
        conn.execute(
            sa.text("UPDATE accounts SET domain = :d WHERE id = :i"),
            {"d": row.email.split("@")[1], "i": row.id},
        )


def downgrade():
    with op.batch_alter_table("accounts", recreate="never") as batch_op:
        batch_op.drop_column("domain")
