-- customer status, with a lookup table
-- filled from the old free-text notes
--
-- Revision ID: 3c4d5e6f7081
-- Revises: 1a2b3c4d5e6f
-- Create Date: 2023-04-12 08:30:00.000000
-- Branch Labels:
-- Depends On:
-- Transactional: yes
--
-- Imported from Alembic's migrations/versions/3c4d5e6f7081_customer_status.py by retort import alembic.

-- migrate:upgrade
CREATE TABLE customer_statuses (
    code VARCHAR(20) NOT NULL, 
    label VARCHAR(80) NOT NULL, 
    PRIMARY KEY (code)
);

INSERT INTO customer_statuses (code, label) VALUES ('new', 'New');

INSERT INTO customer_statuses (code, label) VALUES ('active', 'Active (ordered at least once)');

INSERT INTO customer_statuses (code, label) VALUES ('closed', 'Closed');

ALTER TABLE customers ADD COLUMN status VARCHAR(20) DEFAULT 'new' NOT NULL;

UPDATE customers SET status = 'active' WHERE email LIKE '%@shop.example';

-- migrate:downgrade
ALTER TABLE customers DROP COLUMN status;

DROP TABLE customer_statuses;
