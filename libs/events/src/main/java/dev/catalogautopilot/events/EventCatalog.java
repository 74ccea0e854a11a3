package dev.catalogautopilot.events;

import dev.catalogautopilot.events.catalog.CatalogBuildFailed;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.events.catalog.CatalogWatchFailed;
import dev.catalogautopilot.events.mirror.CatalogMirrorFailed;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.events.mirror.MirrorJobCompleted;
import dev.catalogautopilot.events.mirror.MirrorJobFailed;
import dev.catalogautopilot.events.mirror.MirrorJobRequested;
import dev.catalogautopilot.events.rollout.ClusterFailed;
import dev.catalogautopilot.events.rollout.ClusterRolledBack;
import dev.catalogautopilot.events.rollout.ClusterUpdated;
import dev.catalogautopilot.events.rollout.RolloutActionRecorded;
import dev.catalogautopilot.events.rollout.RolloutCompleted;
import dev.catalogautopilot.events.rollout.RolloutHalted;
import dev.catalogautopilot.events.rollout.RolloutStarted;
import dev.catalogautopilot.events.rollout.RolloutSuperseded;
import dev.catalogautopilot.events.rollout.WaveCompleted;
import dev.catalogautopilot.events.rollout.WaveStarted;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The registry of every event type: type string to record class and back, and decoding data by type. */
public final class EventCatalog {

    private static final List<EventType<?>> TYPES = List.of(
            CatalogChanged.TYPE,
            CatalogWatchFailed.TYPE,
            CatalogBuilt.TYPE,
            CatalogBuildFailed.TYPE,
            MirrorJobRequested.TYPE,
            MirrorJobCompleted.TYPE,
            MirrorJobFailed.TYPE,
            CatalogMirrored.TYPE,
            CatalogMirrorFailed.TYPE,
            RolloutStarted.TYPE,
            WaveStarted.TYPE,
            ClusterUpdated.TYPE,
            ClusterFailed.TYPE,
            ClusterRolledBack.TYPE,
            WaveCompleted.TYPE,
            RolloutCompleted.TYPE,
            RolloutHalted.TYPE,
            RolloutSuperseded.TYPE,
            RolloutActionRecorded.TYPE);

    private static final Map<String, EventType<?>> BY_NAME = index(EventType::name);
    private static final Map<Class<?>, EventType<?>> BY_CLASS = index(EventType::dataClass);

    private EventCatalog() {
    }

    /** Every known type, in pipeline order. */
    public static List<EventType<?>> types() {
        return TYPES;
    }

    /** Every known type string, in pipeline order. */
    public static List<String> typeNames() {
        return TYPES.stream().map(EventType::name).toList();
    }

    /** The types published to {@code topic}. */
    public static List<EventType<?>> typesOn(String topic) {
        return TYPES.stream().filter(type -> type.topic().equals(topic)).toList();
    }

    /** Whether {@code typeName} is a type this build can decode. */
    public static boolean isKnown(String typeName) {
        return BY_NAME.containsKey(typeName);
    }

    /** The type with this name, if known. */
    public static Optional<EventType<?>> find(String typeName) {
        return Optional.ofNullable(BY_NAME.get(typeName));
    }

    /**
     * The type with this name.
     *
     * @throws UnknownEventTypeException if this build does not know it
     */
    public static EventType<?> forName(String typeName) {
        EventType<?> type = BY_NAME.get(typeName);
        if (type == null) {
            throw new UnknownEventTypeException(typeName);
        }
        return type;
    }

    /** The type whose data {@code dataClass} carries. */
    @SuppressWarnings("unchecked")
    public static <T extends EventData> EventType<T> forClass(Class<T> dataClass) {
        EventType<?> type = BY_CLASS.get(dataClass);
        if (type == null) {
            throw new IllegalArgumentException(dataClass.getName() + " is not a registered event record");
        }
        return (EventType<T>) type;
    }

    /** The type of {@code data}. */
    public static EventType<?> typeOf(EventData data) {
        return forClass(data.getClass());
    }

    /**
     * Decodes JSON data of the given type; unknown fields are ignored.
     *
     * @throws UnknownEventTypeException if the type is not known
     * @throws EventDecodingException    if the JSON does not fit the type's record
     */
    public static EventData decode(String typeName, byte[] json) {
        EventType<?> type = forName(typeName);
        try {
            return EventJson.read(json, type.dataClass());
        } catch (EventDecodingException e) {
            throw new EventDecodingException("cannot decode " + typeName + " data: " + e.getMessage(), e.getCause());
        }
    }

    private static <K> Map<K, EventType<?>> index(Function<EventType<?>, K> key) {
        return TYPES.stream().collect(Collectors.toMap(key, Function.identity(), (a, b) -> {
            throw new IllegalStateException("registered twice: " + a + ", " + b);
        }, LinkedHashMap::new));
    }
}
