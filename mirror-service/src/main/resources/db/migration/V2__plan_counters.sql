-- Plan completion is decided from the database's job states: each plan counts its unfinished jobs, and the
-- transaction that finishes a job decrements that count, so deciding costs the same per result at any plan size.
ALTER TABLE mirror_plan
    ADD COLUMN pending      INTEGER,
    ADD COLUMN done         INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN failed       INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN bytes_copied BIGINT  NOT NULL DEFAULT 0,
    ADD COLUMN deadline_at  TIMESTAMPTZ,
    ADD COLUMN reason       TEXT,
    -- The plan's content artifact (mapping, mirror sets, rejected references) as the completion event names it.
    ADD COLUMN artifact     TEXT;

UPDATE mirror_plan p SET
    pending = (SELECT count(*) FROM mirror_job j WHERE j.plan_id = p.id AND j.state NOT IN ('DONE', 'FAILED')),
    done = (SELECT count(*) FROM mirror_job j WHERE j.plan_id = p.id AND j.state = 'DONE'),
    failed = (SELECT count(*) FROM mirror_job j WHERE j.plan_id = p.id AND j.state = 'FAILED'),
    bytes_copied = (SELECT coalesce(sum(j.bytes_copied), 0) FROM mirror_job j WHERE j.plan_id = p.id);

ALTER TABLE mirror_plan ALTER COLUMN pending SET NOT NULL;

CREATE INDEX mirror_plan_running ON mirror_plan (state) WHERE state = 'RUNNING';

CREATE INDEX mirror_job_planned ON mirror_job (plan_id) WHERE state = 'PLANNED';

-- result (what the tracker read from mirror.results) is no longer used: the job's own state is the result.
ALTER TABLE mirror_job DROP COLUMN result;
