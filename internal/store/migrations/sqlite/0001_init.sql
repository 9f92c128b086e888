-- Continuum's first schema on SQLite. Dates are YYYY-MM-DD text and instants are UTC RFC 3339 text with
-- microseconds, so both compare correctly as strings.

CREATE TABLE teams (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    service     TEXT NOT NULL,
    district    TEXT NOT NULL DEFAULT '',
    locality    TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL,
    team_id        TEXT REFERENCES teams(id),
    fte            REAL NOT NULL DEFAULT 1,
    agency         INTEGER NOT NULL DEFAULT 0,
    password_hash  TEXT NOT NULL DEFAULT '',
    disabled       INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL
);

-- A file is the root of a set of records: a person's file or a household's. Its seq is bumped by every write,
-- which serialises writers to one file and orders the records within it.
CREATE TABLE files (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    seq         INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL
);

-- The current version of every record. Retracted records stay, flagged.
CREATE TABLE records (
    id           TEXT PRIMARY KEY,
    file_id      TEXT NOT NULL REFERENCES files(id),
    kind         TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    parent_id    TEXT,
    related_id   TEXT,
    start_date   TEXT,
    end_date     TEXT,
    code         TEXT,
    search       TEXT,
    retracted    INTEGER NOT NULL DEFAULT 0,
    body         TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    reason       TEXT NOT NULL
);
CREATE INDEX records_file ON records (file_id, seq);
CREATE INDEX records_kind_start ON records (kind, start_date);
CREATE INDEX records_parent ON records (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX records_related ON records (related_id) WHERE related_id IS NOT NULL;
CREATE UNIQUE INDEX records_la_child_id ON records (code) WHERE kind = 'person' AND code IS NOT NULL;

-- Every version of every record, never updated or deleted: the history behind "as at".
CREATE TABLE record_versions (
    record_id    TEXT NOT NULL,
    version      INTEGER NOT NULL,
    file_id      TEXT NOT NULL REFERENCES files(id),
    kind         TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    retracted    INTEGER NOT NULL DEFAULT 0,
    body         TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    reason       TEXT NOT NULL,
    PRIMARY KEY (record_id, version)
);
CREATE INDEX record_versions_file ON record_versions (file_id, recorded_at);

-- The audit trail: every write and every read of a child's record, hash-chained. audit_head holds the last link
-- so each append knows the hash it continues from.
CREATE TABLE audit_events (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    file_id    TEXT NOT NULL DEFAULT '',
    record_id  TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '',
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_events_file ON audit_events (file_id, seq);
CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   INTEGER NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE TRIGGER record_versions_append_only_u BEFORE UPDATE ON record_versions
BEGIN SELECT RAISE(ABORT, 'record history is append-only'); END;
CREATE TRIGGER record_versions_append_only_d BEFORE DELETE ON record_versions
BEGIN SELECT RAISE(ABORT, 'record history is append-only'); END;
CREATE TRIGGER records_no_delete BEFORE DELETE ON records
BEGIN SELECT RAISE(ABORT, 'records are retracted, never deleted'); END;
CREATE TRIGGER audit_events_append_only_u BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_events_append_only_d BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
