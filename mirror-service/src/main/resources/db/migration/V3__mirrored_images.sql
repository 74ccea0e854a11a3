-- Images known to be in the mirror: a source pinned by digest, the target it was copied to, and the digest found
-- there. A later plan of the same image to the same target reuses the record instead of copying it again, while
-- the record is younger than mirror.plans.reuse-mirrored-for; an older one is checked by a job again.
CREATE TABLE mirrored_image (
    source      TEXT        NOT NULL,
    target      TEXT        NOT NULL,
    digest      TEXT        NOT NULL,
    plan_id     VARCHAR(64) NOT NULL,
    mirrored_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, target)
);

INSERT INTO mirrored_image (source, target, digest, plan_id, mirrored_at)
SELECT DISTINCT ON (source, target) source, target, digest, plan_id, finished_at
FROM mirror_job
WHERE state = 'DONE' AND digest IS NOT NULL AND finished_at IS NOT NULL AND position('@' IN source) > 0
ORDER BY source, target, finished_at DESC;

-- The plan whose copy a job reused; null when the job copied (or checked) the image itself.
ALTER TABLE mirror_job ADD COLUMN reused_from VARCHAR(64);
