-- The time of the build event a plan mirrors, carried in catalog.mirrored.v1 (builtAt): plans of one catalog can
-- finish out of build order, and rollout-service orders rollouts by it. Null for plans stored before.
ALTER TABLE mirror_plan ADD COLUMN built_at TIMESTAMPTZ;
