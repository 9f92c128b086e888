-- Who may see a restricted file: NULL when it is not restricted, else the IDs of the users its restrictions name,
-- each between spaces (" u1 u2 "), so every list can leave the file out with one condition on its row.
ALTER TABLE files ADD COLUMN restricted_to TEXT;

-- Break-glass: a practitioner opening a child's file held outside their service, with the reason they gave. It
-- lets them open that file until expires_at, and waits for a manager of their team to review it.
CREATE TABLE break_glass (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id),
    file_id      TEXT NOT NULL REFERENCES files(id),
    reason       TEXT NOT NULL,
    at           TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    reviewed_by  TEXT REFERENCES users(id),
    reviewed_at  TIMESTAMPTZ,
    review_note  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX break_glass_user_file ON break_glass (user_id, file_id, expires_at);
CREATE INDEX break_glass_unreviewed ON break_glass (at) WHERE reviewed_at IS NULL;
