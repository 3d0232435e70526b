-- create orders
--
-- Revision ID: 5d0e6c1a2b3f
-- Revises:
-- Create Date: 2026-11-21 11:30:00

-- migrate:upgrade
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    amount_cents INTEGER NOT NULL,
    size TEXT
);
INSERT INTO orders (id, amount_cents) VALUES (1, 1250), (2, 48000), (3, 900);

-- migrate:downgrade
DROP TABLE orders;
