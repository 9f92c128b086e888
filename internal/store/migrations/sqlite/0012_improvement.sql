-- The improvement plan and the board's challenge log: priorities, actions and challenges, each a JSON body.
-- Every change is a new version, kept; the newest is the entry as it stands.
CREATE TABLE improvement_entries (
    id          TEXT NOT NULL,
    version     INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL,
    changed_by  TEXT NOT NULL,
    changed_at  TEXT NOT NULL,
    PRIMARY KEY (id, version)
);
CREATE INDEX improvement_entries_kind ON improvement_entries (kind, id, version);
CREATE TRIGGER improvement_entries_append_only_u BEFORE UPDATE ON improvement_entries
BEGIN SELECT RAISE(ABORT, 'the improvement plan''s history is append-only'); END;
CREATE TRIGGER improvement_entries_append_only_d BEFORE DELETE ON improvement_entries
BEGIN SELECT RAISE(ABORT, 'the improvement plan''s history is append-only'); END;
