package dev.catalogautopilot.events.catalog;

/** What made the watcher look at the upstream: its polling schedule or an operator's request. */
public enum WatchTrigger {
    POLL,
    MANUAL
}
