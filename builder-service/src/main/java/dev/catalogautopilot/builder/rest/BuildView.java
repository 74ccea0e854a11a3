package dev.catalogautopilot.builder.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catalogautopilot.builder.build.BuildJob;
import java.time.Instant;

/**
 * One build as the status endpoint shows it.
 *
 * @param outcome the emitted event's data (CatalogBuilt or CatalogBuildFailed), null while open or superseded
 */
public record BuildView(long seq, String catalog, String status, String revision, String changeEventId,
        int attempts, Instant createdAt, Instant startedAt, Instant finishedAt, String image, String reason,
        JsonNode outcome) {

    static BuildView of(BuildJob job, JsonNode outcome) {
        return new BuildView(job.seq, job.catalog, job.status, job.revision, job.eventId, job.attempts,
                job.createdAt, job.startedAt, job.finishedAt, job.image, job.reason, outcome);
    }
}
