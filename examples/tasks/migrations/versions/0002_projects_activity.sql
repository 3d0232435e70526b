-- add projects.activity
--
-- A data migration in three steps, in one transaction: add the column
-- (nullable), backfill it from updated_at, then make it NOT NULL. If the
-- UPDATE or the constraint fails, the column is not added either.
--
-- Revision ID: 0002
-- Revises: 0001
-- Create Date: 2025-11-20 09:30:00.000000
-- Transactional: yes

-- migrate:upgrade
ALTER TABLE projects ADD COLUMN activity VARCHAR(50);

UPDATE projects
   SET activity = CASE
         WHEN updated_at > NOW() - INTERVAL '30 days' THEN 'active'
         ELSE 'dormant'
       END;

ALTER TABLE projects ALTER COLUMN activity SET NOT NULL;

-- migrate:downgrade
ALTER TABLE projects DROP COLUMN activity;
