"""merge orders and status

Revision ID: 4d5e6f708192
Revises: 2b3c4d5e6f70, 3c4d5e6f7081
Create Date: 2023-04-13 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4d5e6f708192'
down_revision = ('2b3c4d5e6f70', '3c4d5e6f7081')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
