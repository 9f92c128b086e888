-- An identifier a record is looked up by (a person's NHS number), so the front door finds a known child at once.
ALTER TABLE records ADD COLUMN ident TEXT;
UPDATE records SET ident = json_extract(body, '$.nhs_number') WHERE kind = 'person';
CREATE INDEX records_ident ON records (ident) WHERE ident IS NOT NULL;
