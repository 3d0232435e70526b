"""index audit log by table

Revision ID: b2c3d4e5f6a7
Revises: a1b2c3d4e5f6
Create Date: 2023-05-21 09:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b2c3d4e5f6a7'
down_revision = 'a1b2c3d4e5f6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_audit_log_table_name', 'audit_log', ['table_name'])


def downgrade():
    op.drop_index('ix_audit_log_table_name', table_name='audit_log')
