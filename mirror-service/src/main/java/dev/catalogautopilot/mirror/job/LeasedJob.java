package dev.catalogautopilot.mirror.job;

import dev.catalogautopilot.events.Cause;

/**
 * A job this instance holds the lease of.
 *
 * @param planId   the plan
 * @param source   source image
 * @param target   target reference
 * @param catalog  catalog name
 * @param attempt  this attempt's number, 1 for the first
 * @param cause    the job request event, cause of the result event
 */
public record LeasedJob(String planId, String source, String target, String catalog, int attempt, Cause cause) {
}
