-- create customers
--
-- Revision ID: 1a2b3c4d5e6f
-- Revises:
-- Create Date: 2023-03-01 09:15:42.118310
-- Branch Labels:
-- Depends On:
-- Transactional: yes
--
-- Imported from Alembic's migrations/versions/1a2b3c4d5e6f_create_customers.py by retort import alembic.

-- migrate:upgrade
CREATE TABLE customers (
    id INTEGER NOT NULL, 
    email VARCHAR(255) NOT NULL, 
    PRIMARY KEY (id), 
    UNIQUE (email)
);

-- migrate:downgrade
DROP TABLE customers;
