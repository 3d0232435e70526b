"""plan values from the application's enum

Revision ID: 0002
Revises: 0001
Create Date: 2024-02-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

from myapp.models import Plan

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE accounts SET plan = '%s' WHERE plan IS NULL" % Plan.free.value)


def downgrade():
    pass
