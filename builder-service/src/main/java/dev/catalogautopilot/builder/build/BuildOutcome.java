package dev.catalogautopilot.builder.build;

import dev.catalogautopilot.builder.diff.CatalogSummary;
import dev.catalogautopilot.events.catalog.CatalogBuildFailed;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import java.util.List;

/** How a build ended: an image was pushed, it failed (nothing pushed), or a newer change superseded it. */
public sealed interface BuildOutcome {

    /** Pushed; {@code invalidImages} are references the catalog names that do not parse and cannot be mirrored. */
    record Built(CatalogBuilt event, CatalogSummary summary, List<String> invalidImages) implements BuildOutcome {
    }

    record Failed(CatalogBuildFailed event) implements BuildOutcome {
    }

    record Superseded(String reason) implements BuildOutcome {
    }
}
