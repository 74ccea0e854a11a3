package dev.catalogautopilot.mirror.track;

import dev.catalogautopilot.events.EventData;
import dev.catalogautopilot.events.mirror.CatalogMirrorFailed;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.events.mirror.FailedImage;
import dev.catalogautopilot.events.mirror.ImageMapping;
import dev.catalogautopilot.events.mirror.MirrorStats;
import dev.catalogautopilot.registry.ImageReference;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides a plan's outcome from its jobs: nothing while any job has no result; otherwise
 * {@code catalog.mirrored.v1} when every image is in the mirror, or {@code catalog.mirror-failed.v1} naming every
 * image that is not.
 *
 * @param planId             the plan
 * @param catalog            catalog name
 * @param sourceCatalogImage the built catalog image
 * @param mappingTxt         the plan's {@code mapping.txt}
 * @param icsp               the plan's ImageContentSourcePolicy
 * @param idms               the plan's ImageDigestMirrorSet
 */
public record PlanCompletion(String planId, String catalog, String sourceCatalogImage, String mappingTxt,
                             String icsp, String idms) {

    public Optional<EventData> decide(List<JobRecord> jobs) {
        if (jobs.isEmpty() || jobs.stream().anyMatch(j -> j.result() == null)) {
            return Optional.empty();
        }
        List<FailedImage> failed = jobs.stream().filter(j -> "FAILED".equals(j.result()))
                .sorted(Comparator.comparing(JobRecord::source))
                .map(j -> new FailedImage(j.source(), j.error() == null ? "unknown error" : j.error())).toList();
        if (!failed.isEmpty()) {
            return Optional.of(new CatalogMirrorFailed(catalog, planId, failed,
                    failed.size() + " of " + jobs.size() + " images could not be mirrored"));
        }
        JobRecord catalogJob = jobs.stream().filter(JobRecord::catalogImage).findFirst()
                .orElseThrow(() -> new IllegalStateException("plan " + planId + " has no catalog image job"));
        ImageReference target = ImageReference.parse(catalogJob.target());
        String catalogImage = target.name() + "@" + catalogJob.digest();
        MirrorStats total = jobs.stream().map(JobRecord::stats).reduce(MirrorStats.ZERO, MirrorStats::plus);
        List<ImageMapping> mapping = Arrays.stream(mappingTxt.split("\n")).filter(line -> !line.isBlank())
                .map(ImageMapping::parse).toList();
        return Optional.of(new CatalogMirrored(catalog, planId, catalogImage, sourceCatalogImage, icsp, idms,
                mapping, total, jobs.size()));
    }
}
