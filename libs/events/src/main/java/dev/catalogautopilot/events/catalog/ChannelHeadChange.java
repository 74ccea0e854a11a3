package dev.catalogautopilot.events.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * A channel whose head bundle changed between two builds.
 *
 * @param packageName the package, written as {@code package}
 * @param channel     channel name
 * @param from        head bundle before, null for a new channel
 * @param to          head bundle now, null for a removed channel
 */
public record ChannelHeadChange(@JsonProperty("package") String packageName, String channel, String from, String to) {
    public ChannelHeadChange {
        Objects.requireNonNull(packageName, "packageName");
        Objects.requireNonNull(channel, "channel");
    }
}
