-- When the build a rollout rolls out was published (catalog.mirrored.v1 builtAt): a catalog's rollouts follow its
-- builds' order, so a plan that finished late never rolls an older build out over a newer one. Null for re-drives
-- and rollouts started before.
ALTER TABLE rollout ADD COLUMN built_at TIMESTAMPTZ;
CREATE INDEX rollout_catalog_built ON rollout (catalog, built_at) WHERE built_at IS NOT NULL;
