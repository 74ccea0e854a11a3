package dev.catalogautopilot.mirror.track;

import dev.catalogautopilot.events.EventData;
import dev.catalogautopilot.events.mirror.CatalogMirrorFailed;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.events.mirror.FailedImage;
import dev.catalogautopilot.events.mirror.MirrorStats;
import dev.catalogautopilot.mirror.plan.PlanArtifact;
import dev.catalogautopilot.registry.ImageReference;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides a plan's outcome from its jobs: nothing while any job has no result; otherwise
 * {@code catalog.mirrored.v1} when every image is in the mirror, naming the plan's content, or
 * {@code catalog.mirror-failed.v1} counting every image that is not and listing the first of them.
 *
 * @param planId             the plan
 * @param catalog            catalog name
 * @param sourceCatalogImage the built catalog image
 * @param artifact           the plan's published content: mapping.txt and mirror sets
 * @param builtAt            the time of the build event the plan mirrors; null for plans stored before it was kept
 */
public record PlanCompletion(String planId, String catalog, String sourceCatalogImage, PlanArtifact artifact,
        Instant builtAt) {

    public Optional<EventData> decide(List<JobRecord> jobs) {
        if (jobs.isEmpty() || jobs.stream().anyMatch(j -> j.result() == null)) {
            return Optional.empty();
        }
        List<JobRecord> failed = jobs.stream().filter(j -> "FAILED".equals(j.result())).toList();
        if (!failed.isEmpty()) {
            List<FailedImage> first = failed.stream().sorted(Comparator.comparing(JobRecord::source))
                    .limit(CatalogMirrorFailed.PREVIEW)
                    .map(j -> new FailedImage(j.source(), j.error() == null ? "unknown error" : j.error())).toList();
            return Optional.of(new CatalogMirrorFailed(catalog, planId, first, failed.size(),
                    failed.size() + " of " + jobs.size() + " images could not be mirrored"));
        }
        JobRecord catalogJob = jobs.stream().filter(JobRecord::catalogImage).findFirst()
                .orElseThrow(() -> new IllegalStateException("plan " + planId + " has no catalog image job"));
        ImageReference target = ImageReference.parse(catalogJob.target());
        String catalogImage = target.name() + "@" + catalogJob.digest();
        MirrorStats total = jobs.stream().map(JobRecord::stats).reduce(MirrorStats.ZERO, MirrorStats::plus);
        int reused = (int) jobs.stream().filter(JobRecord::reused).count();
        return Optional.of(new CatalogMirrored(catalog, planId, catalogImage, sourceCatalogImage,
                artifact.imageContentSourcePolicy(), artifact.imageDigestMirrorSet(), artifact.mapping(), total,
                jobs.size(), reused, builtAt));
    }
}
