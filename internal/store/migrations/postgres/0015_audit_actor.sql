-- The auditor's view looks up what one person did across the whole trail, newest first.
CREATE INDEX audit_events_actor ON audit_events (actor, seq);
