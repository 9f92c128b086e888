-- Continuum's first schema on PostgreSQL; the same tables as on SQLite with native types.

CREATE TABLE teams (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    service     TEXT NOT NULL,
    district    TEXT NOT NULL DEFAULT '',
    locality    TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL,
    team_id        TEXT REFERENCES teams(id),
    fte            DOUBLE PRECISION NOT NULL DEFAULT 1,
    agency         INTEGER NOT NULL DEFAULT 0,
    password_hash  TEXT NOT NULL DEFAULT '',
    disabled       INTEGER NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE files (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    seq         BIGINT NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE records (
    id           TEXT PRIMARY KEY,
    file_id      TEXT NOT NULL REFERENCES files(id),
    kind         TEXT NOT NULL,
    seq          BIGINT NOT NULL,
    version      INTEGER NOT NULL,
    parent_id    TEXT,
    related_id   TEXT,
    start_date   DATE,
    end_date     DATE,
    code         TEXT,
    search       TEXT,
    retracted    INTEGER NOT NULL DEFAULT 0,
    body         JSONB NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL,
    recorded_by  TEXT NOT NULL,
    reason       TEXT NOT NULL
);
CREATE INDEX records_file ON records (file_id, seq);
CREATE INDEX records_kind_start ON records (kind, start_date);
CREATE INDEX records_parent ON records (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX records_related ON records (related_id) WHERE related_id IS NOT NULL;
CREATE UNIQUE INDEX records_la_child_id ON records (code) WHERE kind = 'person' AND code IS NOT NULL;

CREATE TABLE record_versions (
    record_id    TEXT NOT NULL,
    version      INTEGER NOT NULL,
    file_id      TEXT NOT NULL REFERENCES files(id),
    kind         TEXT NOT NULL,
    seq          BIGINT NOT NULL,
    retracted    INTEGER NOT NULL DEFAULT 0,
    body         JSONB NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL,
    recorded_by  TEXT NOT NULL,
    reason       TEXT NOT NULL,
    PRIMARY KEY (record_id, version)
);
CREATE INDEX record_versions_file ON record_versions (file_id, recorded_at);

CREATE TABLE audit_events (
    seq        BIGINT PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL,
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
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE FUNCTION continuum_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER record_versions_append_only BEFORE UPDATE OR DELETE ON record_versions
    FOR EACH ROW EXECUTE FUNCTION continuum_append_only();
CREATE TRIGGER records_no_delete BEFORE DELETE ON records
    FOR EACH ROW EXECUTE FUNCTION continuum_append_only();
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION continuum_append_only();
