-- create items
--
-- Revision ID: a1b1
-- Revises:
-- Create Date: 2026-11-21 11:40:00

-- migrate:upgrade
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
INSERT INTO items (id, name) VALUES (1, 'apple'), (2, 'kiwi'), (3, 'banana');
-- Bytes a generator must carry unchanged: quotes, )" (a raw-string end), a
-- backslash, UTF-8 and a tab.
INSERT INTO items (id, name) VALUES (4, 'q"uo)"te \ é	end');

-- migrate:downgrade
DROP TABLE items;
