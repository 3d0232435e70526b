-- index audit log by table
--
-- Revision ID: b2c3d4e5f6a7
-- Revises: a1b2c3d4e5f6
-- Create Date: 2023-05-21 09:00:00.000000
-- Branch Labels:
-- Depends On:
-- Transactional: yes
--
-- Imported from Alembic's audit/versions/b2c3d4e5f6a7_audit_by_table.py by retort import alembic.

-- migrate:upgrade
CREATE INDEX ix_audit_log_table_name ON audit_log (table_name);

-- migrate:downgrade
DROP INDEX ix_audit_log_table_name;
