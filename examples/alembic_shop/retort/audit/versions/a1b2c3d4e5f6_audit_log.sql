-- audit log
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2023-05-20 11:11:11.111111
-- Branch Labels: audit
-- Depends On:
-- Transactional: yes
--
-- Imported from Alembic's audit/versions/a1b2c3d4e5f6_audit_log.py by retort import alembic.

-- migrate:upgrade
CREATE TABLE audit_log (
    id INTEGER NOT NULL, 
    table_name VARCHAR(64) NOT NULL, 
    action VARCHAR(200) NOT NULL, 
    at DATETIME DEFAULT CURRENT_TIMESTAMP, 
    PRIMARY KEY (id)
);

-- migrate:downgrade
DROP TABLE audit_log;
