package dev.catalogautopilot.events;

/** The CloudEvents {@code source} of each service: one per service, not per instance, so ids stay stable. */
public final class EventSources {

    public static final String WATCHER = "/catalog-autopilot/watcher-service";
    public static final String BUILDER = "/catalog-autopilot/builder-service";
    public static final String MIRROR = "/catalog-autopilot/mirror-service";
    public static final String ROLLOUT = "/catalog-autopilot/rollout-service";

    private EventSources() {
    }
}
