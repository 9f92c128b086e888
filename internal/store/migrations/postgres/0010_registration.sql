-- A social worker's Social Work England registration number (SW followed by digits): the SSDA903 reports it as
-- SW_ID for each of a looked-after child's social workers.
ALTER TABLE users ADD COLUMN registration TEXT;
