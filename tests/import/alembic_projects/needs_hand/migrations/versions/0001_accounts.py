"""accounts

Revision ID: 0001
Revises:
Create Date: 2024-01-05 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(200), nullable=False),
        sa.Column("plan", sa.String(10), nullable=True),
    )


def downgrade():
    op.drop_table("accounts")
