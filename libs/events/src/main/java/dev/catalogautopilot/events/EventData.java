package dev.catalogautopilot.events;

/** The data of an event: a record registered in {@link EventCatalog}, always about one catalog. */
public interface EventData {

    /** The catalog this event is about; also the envelope's {@code subject}. */
    String catalog();
}
