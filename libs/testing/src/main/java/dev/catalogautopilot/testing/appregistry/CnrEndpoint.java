package dev.catalogautopilot.testing.appregistry;

/** The App Registry endpoints the fixture serves, for fault injection and request counting. */
public enum CnrEndpoint {
    /** {@code POST /api/v1/users/login}. */
    LOGIN(true),
    /** {@code GET /api/v1/packages?namespace=…}. */
    LISTING(true),
    /** {@code GET /api/v1/packages/{ns}/{pkg}}. */
    RELEASES(true),
    /** {@code GET /api/v1/packages/{ns}/{pkg}/{release}/helm}. */
    RELEASE(true),
    /** {@code GET /api/v1/packages/{ns}/{pkg}/blobs/sha256/{digest}}. */
    BLOB(false),
    /** {@code GET /api/v1/packages/{ns}/{pkg}/{release}/helm/pull}. */
    PULL(false);

    private final boolean json;

    CnrEndpoint(boolean json) {
        this.json = json;
    }

    /** Whether the endpoint answers JSON (rather than a tar.gz). */
    public boolean json() {
        return json;
    }
}
