-- Each worker that takes up a cluster opens a fresh observation window (deadline_at) and counts an attempt; its
-- writes apply only while the attempt is still the cluster's, so a worker taken over by the reconciler cannot write.
ALTER TABLE cluster_rollout ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0;
-- The last time a worker or the driver moved the rollout on (what the reconciler and the health checks look at).
ALTER TABLE rollout ADD COLUMN progress_at TIMESTAMPTZ;
