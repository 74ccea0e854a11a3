-- Rollouts and fleet state (the outbox and processed-event tables come from libs/outbox).

-- One rollout of a mirrored catalog image to the fleet; the driver that holds the lease advances it.
CREATE TABLE rollout (
    id                VARCHAR(64)  PRIMARY KEY,
    catalog           VARCHAR(253) NOT NULL,
    image             TEXT         NOT NULL,
    digest            VARCHAR(80)  NOT NULL,
    status            VARCHAR(16)  NOT NULL,
    paused            BOOLEAN      NOT NULL DEFAULT FALSE,
    target            TEXT         NOT NULL,
    mirrored_event_id VARCHAR(64)  NOT NULL,
    correlation_id    VARCHAR(64)  NOT NULL,
    supersedes        VARCHAR(64),
    superseded_by     VARCHAR(64),
    created_at        TIMESTAMPTZ  NOT NULL,
    finished_at       TIMESTAMPTZ,
    lease_owner       VARCHAR(64),
    lease_until       TIMESTAMPTZ
);
CREATE INDEX rollout_running ON rollout (lease_until) WHERE status = 'RUNNING';
CREATE INDEX rollout_by_catalog ON rollout (catalog, created_at);

CREATE TABLE rollout_wave (
    id                  BIGSERIAL    PRIMARY KEY,
    rollout_id          VARCHAR(64)  NOT NULL REFERENCES rollout (id),
    wave_index          INTEGER      NOT NULL,
    name                VARCHAR(128) NOT NULL,
    max_parallel        INTEGER      NOT NULL,
    deadline_millis     BIGINT       NOT NULL,
    soak_millis         BIGINT       NOT NULL,
    requires_approval   BOOLEAN      NOT NULL,
    approved            BOOLEAN      NOT NULL DEFAULT FALSE,
    status              VARCHAR(24)  NOT NULL,
    cause_event_id      VARCHAR(64)  NOT NULL,
    started_at          TIMESTAMPTZ,
    completed_at        TIMESTAMPTZ,
    UNIQUE (rollout_id, wave_index)
);

-- One cluster of one rollout, with the checkpoints that let a restarted service resume it without re-patching.
CREATE TABLE cluster_rollout (
    id                       BIGSERIAL    PRIMARY KEY,
    rollout_id               VARCHAR(64)  NOT NULL REFERENCES rollout (id),
    cluster                  VARCHAR(253) NOT NULL,
    wave_index               INTEGER      NOT NULL,
    position                 INTEGER      NOT NULL,
    state                    VARCHAR(16)  NOT NULL,
    phase                    VARCHAR(16),
    previous_image           TEXT,
    created_catalog_source   BOOLEAN      NOT NULL DEFAULT FALSE,
    patched                  BOOLEAN      NOT NULL DEFAULT FALSE,
    mirror_set               VARCHAR(16),
    patch_sent_at            TIMESTAMPTZ,
    patched_resource_version VARCHAR(64),
    started_at               TIMESTAMPTZ,
    deadline_at              TIMESTAMPTZ,
    finished_at              TIMESTAMPTZ,
    reason                   TEXT,
    UNIQUE (rollout_id, cluster)
);

-- What every cluster runs for every catalog, and since when.
CREATE TABLE fleet_state (
    id             BIGSERIAL    PRIMARY KEY,
    cluster        VARCHAR(253) NOT NULL,
    catalog        VARCHAR(253) NOT NULL,
    image          TEXT,
    digest         VARCHAR(80),
    state          VARCHAR(16)  NOT NULL,
    since          TIMESTAMPTZ,
    cause_event_id VARCHAR(64)  NOT NULL,
    rollout_id     VARCHAR(64)  NOT NULL,
    updated_at     TIMESTAMPTZ  NOT NULL,
    UNIQUE (cluster, catalog)
);

CREATE TABLE fleet_change (
    id             BIGSERIAL    PRIMARY KEY,
    cluster        VARCHAR(253) NOT NULL,
    catalog        VARCHAR(253) NOT NULL,
    image          TEXT,
    previous_image TEXT,
    state          VARCHAR(16)  NOT NULL,
    at             TIMESTAMPTZ  NOT NULL,
    cause_event_id VARCHAR(64)  NOT NULL,
    rollout_id     VARCHAR(64)  NOT NULL,
    reason         TEXT
);
CREATE INDEX fleet_change_by_cell ON fleet_change (cluster, catalog, at);
