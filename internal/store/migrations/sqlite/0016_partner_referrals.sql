-- Referrals from partner agencies, waiting at the front door until it finds the child and takes each in as a
-- contact (file_id and contact_id are then set). body is the referral as sent, as JSON.
CREATE TABLE partner_referrals (
    id           TEXT PRIMARY KEY,
    team_id      TEXT NOT NULL REFERENCES teams(id),
    referrer_id  TEXT NOT NULL REFERENCES users(id),
    received_at  TEXT NOT NULL,
    body         TEXT NOT NULL,
    file_id      TEXT REFERENCES files(id),
    contact_id   TEXT,
    taken_by     TEXT REFERENCES users(id),
    taken_at     TEXT
);
CREATE INDEX partner_referrals_waiting ON partner_referrals (received_at) WHERE file_id IS NULL;
CREATE INDEX partner_referrals_team ON partner_referrals (team_id, received_at);
