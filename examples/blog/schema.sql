-- The declared schema at head: what the revisions above build.
CREATE TABLE users (
    id           INTEGER PRIMARY KEY,
    email        TEXT    NOT NULL UNIQUE,
    created_at   TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    display_name TEXT    NOT NULL DEFAULT ''
);

CREATE TABLE posts (
    id           INTEGER PRIMARY KEY,
    author_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title        TEXT    NOT NULL,
    body         TEXT    NOT NULL DEFAULT '',
    published_at TEXT
);
CREATE INDEX ix_posts_author_id ON posts (author_id);
