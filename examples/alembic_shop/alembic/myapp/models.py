"""The shop's models (what a real env.py imports for autogenerate)."""
import sqlalchemy as sa

metadata = sa.MetaData()

customers = sa.Table(
    "customers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(255), nullable=False, unique=True),
    sa.Column("status", sa.String(20), nullable=False, server_default="new"),
)
