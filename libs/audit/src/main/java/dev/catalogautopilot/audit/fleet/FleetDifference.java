package dev.catalogautopilot.audit.fleet;

/**
 * One field of one cell on which the rebuilt fleet state and the live one disagree.
 *
 * @param field     a {@link FleetCell} field, or {@code cell} when one side has no such cell at all
 * @param projected the value rebuilt from the events ({@code absent} for a missing cell, {@code null} for none)
 * @param live      the value the service reports
 */
public record FleetDifference(String cluster, String catalog, String field, String projected, String live) {
}
