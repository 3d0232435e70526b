"""customer status, with a lookup table
filled from the old free-text notes

Revision ID: 3c4d5e6f7081
Revises: 1a2b3c4d5e6f
Create Date: 2023-04-12 08:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '3c4d5e6f7081'
down_revision = '1a2b3c4d5e6f'  # branched off while orders was in review
branch_labels = None
depends_on = None

statuses = sa.table(
    'customer_statuses',
    sa.column('code', sa.String),
    sa.column('label', sa.String),
)


def upgrade():
    op.create_table(
        'customer_statuses',
        sa.Column('code', sa.String(length=20), primary_key=True),
        sa.Column('label', sa.String(length=80), nullable=False),
    )
    # Data migration: the lookup rows every environment needs.
    op.bulk_insert(statuses, [
        {'code': 'new', 'label': 'New'},
        {'code': 'active', 'label': "Active (ordered at least once)"},
        {'code': 'closed', 'label': 'Closed'},
    ])
    op.add_column('customers', sa.Column('status', sa.String(length=20),
                                         nullable=False, server_default='new'))
    op.execute("UPDATE customers SET status = 'active' WHERE email LIKE '%@shop.example'")


def downgrade():
    with op.batch_alter_table('customers', recreate='never') as batch_op:
        batch_op.drop_column('status')
    op.drop_table('customer_statuses')
