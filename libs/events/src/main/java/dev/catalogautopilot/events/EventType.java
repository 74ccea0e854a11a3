package dev.catalogautopilot.events;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One versioned event type: its CloudEvents {@code type} string, the record that carries its data and its topic.
 *
 * @param name      the CloudEvents type, {@code dev.catalogautopilot.<area>.<event>.v<N>}
 * @param dataClass the record that carries the data
 * @param topic     the only topic this type is published to
 */
public record EventType<T extends EventData>(String name, Class<T> dataClass, String topic) {

    /** Prefix of every type string. */
    public static final String PREFIX = "dev.catalogautopilot.";

    private static final Pattern NAME = Pattern.compile(
            Pattern.quote(PREFIX) + "[a-z][a-z-]*(\\.[a-z][a-z-]*)+\\.v([1-9][0-9]*)");

    public EventType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataClass, "dataClass");
        Objects.requireNonNull(topic, "topic");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("event type must look like " + PREFIX + "<area>.<event>.vN: " + name);
        }
    }

    /** The {@code N} of the {@code .vN} suffix. */
    public int version() {
        Matcher matcher = NAME.matcher(name);
        if (!matcher.matches()) {
            throw new IllegalStateException(name);
        }
        return Integer.parseInt(matcher.group(2));
    }

    @Override
    public String toString() {
        return name;
    }
}
