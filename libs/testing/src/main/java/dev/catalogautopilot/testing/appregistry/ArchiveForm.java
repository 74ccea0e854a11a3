package dev.catalogautopilot.testing.appregistry;

/** The two archive layouts App Registry releases came in. */
public enum ArchiveForm {
    /** {@code <pkg>/<pkg>.package.yaml} plus {@code <pkg>/<version>/<files>}: more than one regular file. */
    NESTED,
    /** A single operator-courier {@code bundle.yaml} whose {@code data} values are YAML strings holding lists. */
    FLATTENED
}
