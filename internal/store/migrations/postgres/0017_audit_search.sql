-- The auditor's view also searches the whole trail by what was done and by day; without these an action that is
-- rare (break-glass) or a day long past is found only by reading every later event.
CREATE INDEX audit_events_action ON audit_events (action, seq);
CREATE INDEX audit_events_at ON audit_events (at);
