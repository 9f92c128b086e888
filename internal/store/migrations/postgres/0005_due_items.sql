-- Who each file's work falls to and how urgent it is, kept with the file so queues are one join.
ALTER TABLE files ADD COLUMN risk INTEGER NOT NULL DEFAULT 5;
ALTER TABLE files ADD COLUMN worker_id TEXT;
ALTER TABLE files ADD COLUMN team_id TEXT;
CREATE INDEX files_worker ON files (worker_id) WHERE worker_id IS NOT NULL;
CREATE INDEX files_team ON files (team_id) WHERE team_id IS NOT NULL;

-- The work statutory and local timescales ask for, derived from each file's records whenever the file changes
-- and whenever the rules or the calendar change. Derived, so replaced rather than versioned; the records it
-- comes from keep their history.
CREATE TABLE due_items (
    file_id         TEXT NOT NULL REFERENCES files(id),
    rule            TEXT NOT NULL,
    subject_id      TEXT NOT NULL,
    rule_version    INTEGER NOT NULL,
    episode_id      TEXT,
    trigger_date    DATE NOT NULL,
    due_date        DATE NOT NULL,
    due_at          TIMESTAMPTZ,
    status          TEXT NOT NULL,
    completed_id    TEXT,
    completed_date  DATE,
    late_reason     TEXT,
    -- The file's risk and owner, copied so a queue is one ordered index range.
    risk            INTEGER NOT NULL,
    worker_id       TEXT,
    team_id         TEXT,
    PRIMARY KEY (file_id, rule, subject_id)
);
CREATE INDEX due_items_worker ON due_items (worker_id, risk, due_date) WHERE status = 'open';
CREATE INDEX due_items_team ON due_items (team_id, risk, due_date) WHERE status = 'open';

-- A council's changes to its local timescales. Every change is a new version; the newest is in force.
CREATE TABLE local_rules (
    code        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    amount      INTEGER NOT NULL,
    unit        TEXT NOT NULL,
    changed_by  TEXT NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (code, version)
);
