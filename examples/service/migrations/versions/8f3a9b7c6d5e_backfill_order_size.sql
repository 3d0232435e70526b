-- backfill order size
--
-- Revision ID: 8f3a9b7c6d5e
-- Revises: 5d0e6c1a2b3f
-- Create Date: 2026-11-21 11:31:00
-- Step: backfill_order_size
--
-- The size of each order is computed in C++ by the service's registered
-- step (main.cc), inside this revision's transaction.

-- migrate:upgrade
CREATE INDEX orders_size ON orders (size);

-- migrate:downgrade
DROP INDEX orders_size;
UPDATE orders SET size = NULL;
