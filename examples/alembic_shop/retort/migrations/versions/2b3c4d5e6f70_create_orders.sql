-- create orders
--
-- Revision ID: 2b3c4d5e6f70
-- Revises: 1a2b3c4d5e6f
-- Create Date: 2023-04-11 14:02:07.551204
-- Branch Labels:
-- Depends On:
-- Transactional: yes
--
-- Imported from Alembic's migrations/versions/2b3c4d5e6f70_create_orders.py by retort import alembic.

-- migrate:upgrade
CREATE TABLE orders (
    id INTEGER NOT NULL, 
    customer_id INTEGER NOT NULL, 
    total_cents INTEGER DEFAULT '0' NOT NULL, 
    placed_at DATETIME, 
    PRIMARY KEY (id), 
    FOREIGN KEY(customer_id) REFERENCES customers (id) ON DELETE CASCADE
);

CREATE INDEX ix_orders_customer_id ON orders (customer_id);

-- migrate:downgrade
DROP INDEX ix_orders_customer_id;

DROP TABLE orders;
