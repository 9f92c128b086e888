-- A digest of each due item's content and owner, so deriving every file's items again (after a rule or calendar
-- change) compares one short column per item instead of reading them all back. Items stored before it have none
-- and are written again the next time their file's work is derived.
ALTER TABLE due_items ADD COLUMN sig TEXT;
