package dev.catalogautopilot.rollout.cluster;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Whether a cluster serves the new catalog. Only {@code READY} counts, never an unknown or missing state, and
 * after our patch only a {@code READY} reported since: {@code lastConnect} not before the patch (the field has
 * second precision, so the patch time is truncated to the second) and a resourceVersion other than the one our
 * patch produced, since OLM's status write changes it.
 */
public final class Readiness {

    public static final String READY = "READY";

    private Readiness() {
    }

    /**
     * How the CatalogSource was brought to the new image.
     *
     * @param patched                 whether this rollout changed {@code spec.image}; false when it already matched
     * @param patchSentAt             when the patch (or create) was sent
     * @param patchedResourceVersion  the resourceVersion the patch answered with; null if unknown
     */
    public record Patch(boolean patched, Instant patchSentAt, String patchedResourceVersion) {
    }

    /** The outcome of one look; {@code observed} says what was seen, for a failure reason. */
    public record Verdict(boolean verified, String observed) {
    }

    public static Verdict evaluate(Optional<CatalogSourceStatus> catalogSource, String image, Patch patch) {
        if (catalogSource.isEmpty()) {
            return new Verdict(false, "CatalogSource missing");
        }
        CatalogSourceStatus status = catalogSource.get();
        if (!image.equals(status.image())) {
            return new Verdict(false, "spec.image is " + status.image());
        }
        if (status.state() == null) {
            return new Verdict(false, "no connection state reported");
        }
        if (!READY.equals(status.state())) {
            return new Verdict(false, status.state());
        }
        if (!patch.patched()) {
            return new Verdict(true, READY);
        }
        if (status.lastConnect() == null) {
            return new Verdict(false, "READY without lastConnect");
        }
        if (status.lastConnect().isBefore(patch.patchSentAt().truncatedTo(ChronoUnit.SECONDS))) {
            return new Verdict(false, "READY from before the patch (lastConnect " + status.lastConnect() + ")");
        }
        if (patch.patchedResourceVersion() != null
                && patch.patchedResourceVersion().equals(status.resourceVersion())) {
            return new Verdict(false, "READY from before the patch (status not written since)");
        }
        return new Verdict(true, READY);
    }
}
