package dev.catalogautopilot.builder.fbc;

/** A Kubernetes API group, version and kind, as {@code olm.gvk} properties carry it. */
public record Gvk(String group, String version, String kind) {
}
