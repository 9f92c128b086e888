-- When each member of staff started and, once gone, left: the workforce indicators count the staff employed at
-- each period's end, not today's.
ALTER TABLE users ADD COLUMN started_on TEXT;
ALTER TABLE users ADD COLUMN left_on TEXT;
