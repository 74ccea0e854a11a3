-- Every build job has an overall deadline, set when it is first leased; the reconciler fails a job past it.
ALTER TABLE build_job ADD COLUMN deadline_at TIMESTAMPTZ;
