-- Every statutory return produced, kept as it was sent: gzip-compressed, with the SHA-256 of the file itself, so
-- last year's return is there for year-on-year checks and can be handed over again byte for byte.
CREATE TABLE submissions (
    id           INTEGER PRIMARY KEY,
    return_kind  TEXT NOT NULL,
    year         TEXT NOT NULL,
    produced_at  TEXT NOT NULL,
    produced_by  TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    size         INTEGER NOT NULL,
    body         BLOB NOT NULL
);
CREATE INDEX submissions_kind_year ON submissions (return_kind, year, id);
CREATE TRIGGER submissions_append_only_u BEFORE UPDATE ON submissions
BEGIN SELECT RAISE(ABORT, 'submissions are kept unchanged'); END;
CREATE TRIGGER submissions_append_only_d BEFORE DELETE ON submissions
BEGIN SELECT RAISE(ABORT, 'submissions are kept unchanged'); END;
