-- A council's own settings (its step-up and step-down policy), as JSON. Every change is a new version; the
-- newest is in force.
CREATE TABLE council_settings (
    key         TEXT NOT NULL,
    version     INTEGER NOT NULL,
    value       TEXT NOT NULL,
    changed_by  TEXT NOT NULL,
    changed_at  TEXT NOT NULL,
    PRIMARY KEY (key, version)
);
