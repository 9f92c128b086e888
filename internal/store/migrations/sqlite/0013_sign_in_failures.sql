-- Failed sign-ins, by what they were against: an account ("account:" and the email as typed, lower-cased, whether
-- or not it has an account) and a client address ("address:" and the IP). Enough of either in a window locks it
-- for a while; a success clears the account's. Rows older than a day are pruned as new ones arrive.
CREATE TABLE sign_in_failures (
    key TEXT NOT NULL,
    at  TEXT NOT NULL
);
CREATE INDEX sign_in_failures_key ON sign_in_failures (key, at);
CREATE INDEX sign_in_failures_at ON sign_in_failures (at);
