package dev.catalogautopilot.audit.fleet;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * One cell of the fleet matrix (a catalog on a cluster), with the fields of rollout-service's {@code GET /fleet}.
 *
 * @param image     the image the CatalogSource points at, as far as the service knows; null when never known
 * @param digest    that image's digest, null for an image by tag only
 * @param state     CURRENT, ROLLED_BACK, FAILED or UNKNOWN
 * @param since     when the cluster started running {@code image}; null when that happened before the service knew
 * @param causedBy  the catalog-mirrored event whose rollout last changed the cell
 * @param rolloutId that rollout
 * @param updatedAt when the cell last changed
 */
public record FleetCell(String cluster, String catalog, String image, String digest, String state, Instant since,
        String causedBy, String rolloutId, Instant updatedAt) {

    /** Cluster, then catalog: the order of the matrix. */
    public static final Comparator<FleetCell> BY_POSITION =
            Comparator.comparing(FleetCell::cluster).thenComparing(FleetCell::catalog);

    public FleetCell {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(state, "state");
    }
}
