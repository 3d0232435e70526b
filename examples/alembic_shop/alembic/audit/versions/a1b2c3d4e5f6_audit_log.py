"""audit log

Revision ID: a1b2c3d4e5f6
Revises: 
Create Date: 2023-05-20 11:11:11.111111

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1b2c3d4e5f6'
down_revision = None
branch_labels = ('audit',)
depends_on = None


def upgrade():
    op.create_table(
        'audit_log',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('table_name', sa.String(64), nullable=False),
        sa.Column('action', sa.String(200), nullable=False),
        sa.Column('at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP')),
    )


def downgrade():
    op.drop_table('audit_log')
