-- index tasks.assigned_agent without locking writes
--
-- CREATE INDEX CONCURRENTLY cannot run inside a transaction, so this
-- revision is not transactional: retort commits what ran before it, runs
-- it in autocommit mode, records it, and continues. If it fails, drop the
-- INVALID index it may leave behind before retrying.
--
-- Revision ID: 0003
-- Revises: 0002
-- Create Date: 2025-11-21 14:00:00.000000
-- Transactional: no

-- migrate:upgrade
CREATE INDEX CONCURRENTLY idx_tasks_assigned_agent ON tasks (assigned_agent);

-- migrate:downgrade
DROP INDEX CONCURRENTLY idx_tasks_assigned_agent;
