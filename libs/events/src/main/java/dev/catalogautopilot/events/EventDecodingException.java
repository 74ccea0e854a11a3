package dev.catalogautopilot.events;

/** A record could not be turned into an {@link EventEnvelope}; the consumer sends it to the dead-letter topic. */
public class EventDecodingException extends RuntimeException {

    public EventDecodingException(String message) {
        super(message);
    }

    public EventDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
