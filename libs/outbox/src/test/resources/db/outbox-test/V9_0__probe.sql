-- The test listener's own state: one row per probe it processed.
CREATE TABLE probe_row (id TEXT PRIMARY KEY);
