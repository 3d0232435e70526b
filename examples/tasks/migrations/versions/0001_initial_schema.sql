-- initial schema
--
-- projects, tasks and iterations, as in the project's "Current Schema".
--
-- Revision ID: 0001
-- Revises:
-- Create Date: 2025-11-19 10:00:00.000000
-- Transactional: yes

-- migrate:upgrade
CREATE TABLE projects (
    id         SERIAL PRIMARY KEY,
    name       VARCHAR(255) UNIQUE NOT NULL,
    spec       JSONB NOT NULL,
    state      VARCHAR(50) NOT NULL DEFAULT 'initializing',
    metrics    JSONB,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE tasks (
    id             VARCHAR(255) PRIMARY KEY,
    project_id     INTEGER REFERENCES projects (id),
    type           VARCHAR(100) NOT NULL,
    description    TEXT,
    priority       INTEGER,
    assigned_agent VARCHAR(100),
    status         VARCHAR(50) DEFAULT 'pending',
    data           JSONB,
    created_at     TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    started_at     TIMESTAMP,
    completed_at   TIMESTAMP
);

CREATE TABLE iterations (
    id               SERIAL PRIMARY KEY,
    project_id       INTEGER REFERENCES projects (id),
    iteration_number INTEGER NOT NULL,
    state            VARCHAR(50),
    metrics          JSONB,
    tasks_completed  INTEGER DEFAULT 0,
    tasks_failed     INTEGER DEFAULT 0,
    created_at       TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX idx_projects_name ON projects (name);
CREATE INDEX idx_tasks_project_id ON tasks (project_id);
CREATE INDEX idx_tasks_status ON tasks (status);
CREATE INDEX idx_iterations_project_id ON iterations (project_id);

-- migrate:downgrade
DROP TABLE iterations;
DROP TABLE tasks;
DROP TABLE projects;
