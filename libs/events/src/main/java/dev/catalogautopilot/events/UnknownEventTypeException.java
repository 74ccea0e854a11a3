package dev.catalogautopilot.events;

/**
 * A record carries a {@code ce_type} this build does not know, typically a newer {@code .vN}. Consumers acknowledge
 * and skip such records; they are not failures.
 */
public class UnknownEventTypeException extends EventDecodingException {

    private final String type;

    public UnknownEventTypeException(String type) {
        super("unknown event type '" + type + "'; known types: " + EventCatalog.typeNames());
        this.type = type;
    }

    /** The unknown type string. */
    public String type() {
        return type;
    }
}
