import enum

import sqlalchemy as sa

metadata = sa.MetaData()


class Plan(enum.Enum):
    free = "free"
    pro = "pro"
