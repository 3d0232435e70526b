-- create users
--
-- Revision ID: 1f3a9c2b7d10
-- Revises:
-- Create Date: 2025-10-24 17:40:12.345678
-- Transactional: yes

-- migrate:upgrade
CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    email      TEXT    NOT NULL UNIQUE,
    created_at TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- migrate:downgrade
DROP TABLE users;
