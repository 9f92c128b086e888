-- Every statutory return produced, kept as it was sent: gzip-compressed, with the SHA-256 of the file itself, so
-- last year's return is there for year-on-year checks and can be handed over again byte for byte.
CREATE TABLE submissions (
    id           BIGSERIAL PRIMARY KEY,
    return_kind  TEXT NOT NULL,
    year         TEXT NOT NULL,
    produced_at  TIMESTAMPTZ NOT NULL,
    produced_by  TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    size         BIGINT NOT NULL,
    body         BYTEA NOT NULL
);
CREATE INDEX submissions_kind_year ON submissions (return_kind, year, id);
CREATE TRIGGER submissions_append_only BEFORE UPDATE OR DELETE ON submissions
    FOR EACH ROW EXECUTE FUNCTION continuum_append_only();
