"""order notes, audited

Revision ID: 5e6f708192a3
Revises: 4d5e6f708192
Create Date: 2023-06-02 16:45:10.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5e6f708192a3"
down_revision = "4d5e6f708192"
branch_labels = None
depends_on = [
    "b2c3d4e5f6a7",  # the audit trigger must exist first
]


def upgrade():
    op.add_column("orders", sa.Column("notes", sa.Text(), nullable=True))
    op.execute(
        """
        INSERT INTO audit_log (table_name, action)
        VALUES ('orders', 'added notes')
        """
    )


def downgrade():
    op.execute("DELETE FROM audit_log WHERE action = 'added notes'")
    with op.batch_alter_table("orders", recreate="never") as batch_op:
        batch_op.drop_column("notes")
