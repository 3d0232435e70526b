"""index, online only

Revision ID: 0004
Revises: 0003
Create Date: 2024-04-01 10:00:00.000000

"""
from alembic import context, op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    if not context.is_offline_mode():
        op.create_index("ix_accounts_domain", "accounts", ["domain"])


def downgrade():
    raise NotImplementedError("the index stays")
