package dev.catalogautopilot.builder.build;

import java.util.List;

/** A build that cannot succeed as configured or with this upstream content: it fails and nothing is pushed. */
public class BuildFailure extends RuntimeException {

    private final List<String> details;

    public BuildFailure(String reason, List<String> details) {
        super(reason);
        this.details = List.copyOf(details);
    }

    public BuildFailure(String reason) {
        this(reason, List.of());
    }

    public String reason() {
        return getMessage();
    }

    public List<String> details() {
        return details;
    }
}
