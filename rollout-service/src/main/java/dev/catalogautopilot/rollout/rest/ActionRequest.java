package dev.catalogautopilot.rollout.rest;

/**
 * Optional body of an operator action; the actor recorded is always the authenticated user.
 *
 * @param wave      APPROVE only: the wave to approve; the next one waiting for approval when absent
 * @param requestId repeats with the same id are applied once; a random id when absent
 */
public record ActionRequest(Integer wave, String requestId) {
}
