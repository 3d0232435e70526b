-- order notes, audited
--
-- Revision ID: 5e6f708192a3
-- Revises: 4d5e6f708192
-- Create Date: 2023-06-02 16:45:10.000000
-- Branch Labels:
-- Depends On: b2c3d4e5f6a7
-- Transactional: yes
--
-- Imported from Alembic's migrations/versions/5e6f708192a3_order_notes.py by retort import alembic.

-- migrate:upgrade
ALTER TABLE orders ADD COLUMN notes TEXT;

INSERT INTO audit_log (table_name, action)
        VALUES ('orders', 'added notes');

-- migrate:downgrade
DELETE FROM audit_log WHERE action = 'added notes';

ALTER TABLE orders DROP COLUMN notes;
