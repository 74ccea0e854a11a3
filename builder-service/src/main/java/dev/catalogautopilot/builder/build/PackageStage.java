package dev.catalogautopilot.builder.build;

import dev.catalogautopilot.builder.diff.CatalogSummary;
import dev.catalogautopilot.builder.fbc.CatalogPackage;
import java.util.List;

/**
 * What a build needs of one package besides its content, kept in the package cache beside it: a warm build
 * filters, summarizes and layers an unchanged package from this alone, without parsing or rendering it.
 *
 * @param format   {@link #FORMAT} when written; a stage of another format is recomputed from the content
 * @param problems why the package is invalid; empty for a valid one, which has the other fields
 * @param skeleton what the filter reads ({@code CatalogFilter.skeleton})
 * @param summary  the summary of the whole package
 * @param rendered sha256 (hex) of the whole package's {@code catalog.json} in {@link RenderedPackages}
 */
record PackageStage(int format, List<String> problems, CatalogPackage skeleton, CatalogSummary summary,
        String rendered) {

    /** Bumped whenever validation, the skeleton, the summary or the rendering changes. */
    static final int FORMAT = 1;

    PackageStage {
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    static PackageStage invalid(List<String> problems) {
        return new PackageStage(FORMAT, problems, null, null, null);
    }

    boolean current() {
        return format == FORMAT && (!problems.isEmpty() || (skeleton != null && summary != null && rendered != null));
    }
}
