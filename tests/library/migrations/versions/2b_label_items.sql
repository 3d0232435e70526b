-- label items
--
-- Revision ID: b2c2
-- Revises: a1b1
-- Create Date: 2026-11-21 11:41:00
-- Step: label_items

-- migrate:upgrade
CREATE TABLE labels (
    item_id INTEGER NOT NULL,
    label TEXT NOT NULL
);

-- migrate:downgrade
DROP TABLE labels;
