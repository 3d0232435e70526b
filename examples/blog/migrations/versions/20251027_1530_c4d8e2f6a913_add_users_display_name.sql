-- add users.display_name
--
-- Every user gets a display name; existing users start with the part of
-- their email before the '@' (a data migration in the same transaction).
--
-- Revision ID: c4d8e2f6a913
-- Revises: 7b2e4d6a8c01
-- Create Date: 2025-10-27 15:30:45.678901

-- migrate:upgrade
ALTER TABLE users ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
UPDATE users SET display_name = substr(email, 1, instr(email, '@') - 1)
 WHERE display_name = '';

-- migrate:downgrade
ALTER TABLE users DROP COLUMN display_name;
