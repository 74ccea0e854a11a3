-- What a rollout needs from every consumed catalog-mirrored event, so that a re-drive can replay it later.
CREATE TABLE mirrored_catalog (
    event_id                    VARCHAR(64)  PRIMARY KEY,
    catalog                     VARCHAR(253) NOT NULL,
    catalog_image               TEXT         NOT NULL,
    image_content_source_policy TEXT,
    image_digest_mirror_set     TEXT,
    correlation_id              VARCHAR(64)  NOT NULL,
    event_time                  TIMESTAMPTZ  NOT NULL,
    received_at                 TIMESTAMPTZ  NOT NULL
);
CREATE INDEX mirrored_catalog_by_catalog ON mirrored_catalog (catalog, event_time);

-- Events consumed before this table existed: their rollouts kept the same content.
INSERT INTO mirrored_catalog (event_id, catalog, catalog_image, image_content_source_policy, image_digest_mirror_set,
                              correlation_id, event_time, received_at)
SELECT DISTINCT ON (mirrored_event_id) mirrored_event_id, catalog, image,
       target::jsonb ->> 'imageContentSourcePolicy', target::jsonb ->> 'imageDigestMirrorSet', correlation_id,
       created_at, created_at
FROM rollout
ORDER BY mirrored_event_id, created_at;
