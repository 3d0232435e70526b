-- merge orders and status
--
-- Revision ID: 4d5e6f708192
-- Revises: 2b3c4d5e6f70, 3c4d5e6f7081
-- Create Date: 2023-04-13 10:00:00.000000
-- Branch Labels:
-- Depends On:
-- Transactional: yes
--
-- Imported from Alembic's migrations/versions/4d5e6f708192_merge_orders_and_status.py by retort import alembic.

-- migrate:upgrade

-- migrate:downgrade
