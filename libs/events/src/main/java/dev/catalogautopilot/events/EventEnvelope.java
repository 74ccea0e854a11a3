package dev.catalogautopilot.events;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A CloudEvents 1.0 event: the attributes travel as Kafka headers ({@code ce_*}), {@code data} as the JSON value.
 *
 * @param id            unique per event; deterministic for caused events (see {@link EventIds})
 * @param source        the producing service, see {@link EventSources}
 * @param type          the versioned type of {@code data}, see {@link EventCatalog}
 * @param subject       the catalog name; always {@code data.catalog()}
 * @param time          when the event was produced, millisecond precision
 * @param correlationId the pipeline run, born at the watcher and carried by every later event
 * @param causationId   the id of the event that caused this one, null for the first event of a run
 * @param data          the event's record
 */
public record EventEnvelope<T extends EventData>(
        String id,
        String source,
        String type,
        String subject,
        Instant time,
        String correlationId,
        String causationId,
        T data) {

    /** The CloudEvents spec version written to {@code ce_specversion}. */
    public static final String SPEC_VERSION = "1.0";
    /** Content type of {@code data}. */
    public static final String DATA_CONTENT_TYPE = "application/json";
    /** CloudEvents extension attribute name of {@link #correlationId()}. */
    public static final String CORRELATION_ID = "correlationid";
    /** CloudEvents extension attribute name of {@link #causationId()}. */
    public static final String CAUSATION_ID = "causationid";

    public EventEnvelope {
        requireText(id, "id");
        requireText(source, "source");
        requireText(type, "type");
        requireText(subject, "subject");
        Objects.requireNonNull(time, "time");
        requireText(correlationId, "correlationId");
        Objects.requireNonNull(data, "data");
        String dataType = EventCatalog.typeOf(data).name();
        if (!dataType.equals(type)) {
            throw new IllegalArgumentException("type " + type + " does not match data " + dataType);
        }
        if (!subject.equals(data.catalog())) {
            throw new IllegalArgumentException(
                    "subject '" + subject + "' must be the data's catalog '" + data.catalog() + "'");
        }
    }

    /** The first event of a pipeline run: random id, and a new correlation id equal to it. */
    public static <T extends EventData> EventEnvelope<T> first(String source, String subject, T data, Clock clock) {
        String id = EventIds.random();
        return new EventEnvelope<>(id, source, typeName(data), subject, now(clock), id, null, data);
    }

    /**
     * The first event of a pipeline run with an id derived from {@code originKey} (e.g. the upstream revision), so
     * publishing the same observation twice gives the same id; the correlation id equals the id.
     */
    public static <T extends EventData> EventEnvelope<T> first(
            String source, String subject, T data, String originKey, Clock clock) {
        String id = EventIds.origin(typeName(data), subject, originKey);
        return new EventEnvelope<>(id, source, typeName(data), subject, now(clock), id, null, data);
    }

    /** The only event of its type that {@code cause} leads to: deterministic id, same correlation id. */
    public static <T extends EventData> EventEnvelope<T> causedBy(
            EventEnvelope<?> cause, String source, T data, Clock clock) {
        return causedBy(cause.asCause(), source, data, clock);
    }

    /**
     * One of several events of its type that {@code cause} leads to, told apart by {@code discriminator}
     * (e.g. a source image or a cluster name).
     */
    public static <T extends EventData> EventEnvelope<T> causedBy(
            EventEnvelope<?> cause, String source, T data, String discriminator, Clock clock) {
        return causedBy(cause.asCause(), source, data, discriminator, clock);
    }

    /** As {@link #causedBy(EventEnvelope, String, EventData, Clock)}, from a persisted {@link Cause}. */
    public static <T extends EventData> EventEnvelope<T> causedBy(Cause cause, String source, T data, Clock clock) {
        String type = typeName(data);
        return new EventEnvelope<>(EventIds.derive(cause.eventId(), type), source, type, data.catalog(), now(clock),
                cause.correlationId(), cause.eventId(), data);
    }

    /** As {@link #causedBy(EventEnvelope, String, EventData, String, Clock)}, from a persisted {@link Cause}. */
    public static <T extends EventData> EventEnvelope<T> causedBy(
            Cause cause, String source, T data, String discriminator, Clock clock) {
        String type = typeName(data);
        return new EventEnvelope<>(EventIds.derive(cause.eventId(), type, discriminator), source, type,
                data.catalog(), now(clock), cause.correlationId(), cause.eventId(), data);
    }

    /** This event as the cause of follow-up events. */
    public Cause asCause() {
        return new Cause(id, correlationId);
    }

    /** The CloudEvents extension attributes, for SmallRye's {@code OutgoingCloudEventMetadata.withExtensions}. */
    public Map<String, String> extensions() {
        Map<String, String> extensions = new LinkedHashMap<>();
        extensions.put(CORRELATION_ID, correlationId);
        if (causationId != null) {
            extensions.put(CAUSATION_ID, causationId);
        }
        return extensions;
    }

    /**
     * This envelope with its data typed as {@code dataClass} (a record or an interface such as
     * {@code RolloutEvent}).
     *
     * @throws IllegalArgumentException if the data is not a {@code dataClass}
     */
    @SuppressWarnings("unchecked")
    public <D extends EventData> EventEnvelope<D> as(Class<D> dataClass) {
        if (!dataClass.isInstance(data)) {
            throw new IllegalArgumentException("event " + id + " of type " + type + " carries "
                    + data.getClass().getSimpleName() + ", not " + dataClass.getSimpleName());
        }
        return (EventEnvelope<D>) this;
    }

    private static String typeName(EventData data) {
        return EventCatalog.typeOf(Objects.requireNonNull(data, "data")).name();
    }

    private static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static void requireText(String value, String name) {
        if (Objects.requireNonNull(value, name).isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
