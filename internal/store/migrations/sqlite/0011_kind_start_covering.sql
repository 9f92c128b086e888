-- The returns and indicators find their children by a record's kind and the days it was under way; with the end
-- date, the retracted flag and the file in the index, that search reads no table rows.
DROP INDEX records_kind_start;
CREATE INDEX records_kind_start ON records (kind, start_date, end_date, retracted, file_id);
