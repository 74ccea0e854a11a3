package dev.catalogautopilot.rollout.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The fleet matrix: every cluster with, per catalog it runs, the image, digest and state.
 *
 * @param catalogs every catalog that has been rolled out to some cluster
 * @param clusters the configured clusters (and any that left the configuration but still have cells)
 */
public record FleetMatrix(List<String> catalogs, List<ClusterRow> clusters) {

    /** One cluster and its catalogs. */
    public record ClusterRow(String name, Map<String, String> labels, Map<String, Cell> catalogs) {
    }

    /**
     * A catalog on a cluster.
     *
     * @param image     what the CatalogSource points at, as far as the service knows
     * @param digest    the image's digest
     * @param state     CURRENT, ROLLED_BACK, FAILED or UNKNOWN
     * @param since     when the cluster started running the image
     * @param causedBy  the catalog-mirrored event whose rollout last changed the cell
     * @param rolloutId that rollout
     * @param updatedAt when the cell last changed
     */
    public record Cell(String image, String digest, String state, Instant since, String causedBy, String rolloutId,
            Instant updatedAt) {
    }
}
