package dev.catalogautopilot.mirror.plan;

/** A referenced image the plan cannot mirror (it does not parse, or has no valid target), with the reason. */
public record RejectedReference(String reference, String reason) {
}
