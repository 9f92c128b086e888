-- When each record's first version was recorded, so the time from an event to its recording can be measured
-- (rule R28) without reading the history.
ALTER TABLE records ADD COLUMN created_at TEXT;
UPDATE records SET created_at = (SELECT MIN(v.recorded_at) FROM record_versions v WHERE v.record_id = records.id);
