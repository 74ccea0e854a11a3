package dev.catalogautopilot.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The one JSON configuration for event data: unknown fields ignored, instants as ISO-8601 strings, nulls left out.
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = configure(new ObjectMapper());
    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
            .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n")));

    private EventJson() {
    }

    /**
     * Applies the event configuration to {@code mapper}, e.g. from a Quarkus {@code ObjectMapperCustomizer}, and
     * returns it.
     */
    public static ObjectMapper configure(ObjectMapper mapper) {
        return mapper
                .registerModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .setDefaultPropertyInclusion(JsonInclude.Value.construct(
                        JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL));
    }

    /** A new mapper with the event configuration, for callers that need their own. */
    public static ObjectMapper newMapper() {
        return configure(new ObjectMapper());
    }

    /** UTF-8 JSON of {@code value}. */
    public static byte[] toBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /** Compact JSON of {@code value}. */
    public static String toJson(Object value) {
        return new String(toBytes(value), StandardCharsets.UTF_8);
    }

    /** Indented JSON of {@code value} with {@code \n} line ends, as the docs show it. */
    public static String toPrettyJson(Object value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /**
     * Reads {@code json} as {@code type}.
     *
     * @throws EventDecodingException if it is not JSON or does not fit {@code type}
     */
    public static <T> T read(byte[] json, Class<T> type) {
        if (json == null) {
            throw new EventDecodingException("no JSON (null value) for " + type.getSimpleName());
        }
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new EventDecodingException(describe(e), e);
        }
    }

    /** Reads {@code json} as {@code type}; see {@link #read(byte[], Class)}. */
    public static <T> T read(String json, Class<T> type) {
        return read(json == null ? null : json.getBytes(StandardCharsets.UTF_8), type);
    }

    private static String describe(IOException e) {
        return e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
    }
}
