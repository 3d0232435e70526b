-- create posts
--
-- Revision ID: 7b2e4d6a8c01
-- Revises: 1f3a9c2b7d10
-- Create Date: 2025-10-25 09:12:03.101112

-- migrate:upgrade
CREATE TABLE posts (
    id           INTEGER PRIMARY KEY,
    author_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title        TEXT    NOT NULL,
    body         TEXT    NOT NULL DEFAULT '',
    published_at TEXT
);
CREATE INDEX ix_posts_author_id ON posts (author_id);

-- migrate:downgrade
DROP INDEX ix_posts_author_id;
DROP TABLE posts;
