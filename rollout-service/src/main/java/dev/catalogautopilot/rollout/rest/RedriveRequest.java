package dev.catalogautopilot.rollout.rest;

/**
 * Body of a re-drive; the actor recorded is always the authenticated user.
 *
 * @param catalog   the catalog to roll out again
 * @param eventId   the id of the earlier {@code catalog.mirrored.v1} event to replay
 * @param reason    optional, recorded with the action
 * @param requestId repeats with the same id re-drive once; a random id when absent
 */
public record RedriveRequest(String catalog, String eventId, String reason, String requestId) {

    /** Longest reason recorded; the audit log is no place for documents. */
    static final int MAX_REASON = 1000;

    /** What is wrong with the request, or null when it can be carried out. */
    String problem() {
        if (catalog == null || catalog.isBlank()) {
            return "catalog is required";
        }
        if (eventId == null || eventId.isBlank()) {
            return "eventId (the catalog-mirrored event to replay) is required";
        }
        if (reason != null && reason.length() > MAX_REASON) {
            return "reason is longer than " + MAX_REASON + " characters";
        }
        return null;
    }
}
