-- The council's own closure days, on top of the bank holidays. A withdrawn closure is kept, marked withdrawn.
CREATE TABLE closure_days (
    day           TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    added_by      TEXT NOT NULL,
    added_at      TEXT NOT NULL,
    withdrawn_by  TEXT,
    withdrawn_at  TEXT
);
