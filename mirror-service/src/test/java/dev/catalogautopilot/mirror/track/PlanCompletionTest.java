package dev.catalogautopilot.mirror.track;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.events.ContentRef;
import dev.catalogautopilot.events.ContentTypes;
import dev.catalogautopilot.events.mirror.CatalogMirrorFailed;
import dev.catalogautopilot.events.mirror.FailedImage;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.events.mirror.MirrorStats;
import dev.catalogautopilot.mirror.plan.PlanArtifact;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanCompletionTest {

    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String D2 = "sha256:" + "2".repeat(64);
    private static final PlanArtifact ARTIFACT = new PlanArtifact(content(ContentTypes.MAPPING, 2),
            content(ContentTypes.IMAGE_CONTENT_SOURCE_POLICY, 1), content(ContentTypes.IMAGE_DIGEST_MIRROR_SET, 1),
            content(ContentTypes.REJECTED_REFERENCES, 0));
    private static final java.time.Instant BUILT_AT = java.time.Instant.parse("2026-12-01T10:00:00Z");
    private final PlanCompletion completion = new PlanCompletion("plan-1", "community",
            "build.example.com/olm/community:v2@" + D1, ARTIFACT, BUILT_AT);

    private static ContentRef content(String mediaType, int entries) {
        return new ContentRef("mirror.example.com/olm/community@sha256:" + Integer.toHexString(mediaType.hashCode())
                .repeat(8).substring(0, 64), mediaType, 100, entries);
    }

    private static JobRecord catalogJob(String result) {
        return new JobRecord("build.example.com/olm/community:v2@" + D1, "mirror.example.com/olm/community:v2", true,
                result, D1, null, new MirrorStats(10, 1, 0, 0, 2, 100), false);
    }

    @Test
    void waitsWhileAnyJobHasNoResult() {
        assertThat(completion.decide(List.of(catalogJob("DONE"), new JobRecord("quay.io/a/b@" + D2,
                "mirror.example.com/a/b:x", false, null, null, null, MirrorStats.ZERO, false)))).isEmpty();
    }

    @Test
    void mirroredCarriesTheCatalogDigestInTheMirrorTheMappingAndSummedStats() {
        var event = completion.decide(List.of(catalogJob("DONE"), new JobRecord("quay.io/a/b@" + D2,
                "mirror.example.com/a/b:x", false, "DONE", D2, null, new MirrorStats(5, 2, 1, 1, 1, 50), true)));

        assertThat(event).get().isInstanceOfSatisfying(CatalogMirrored.class, mirrored -> {
            assertThat(mirrored.catalogImage()).isEqualTo("mirror.example.com/olm/community@" + D1);
            assertThat(mirrored.mapping()).isEqualTo(ARTIFACT.mapping());
            assertThat(mirrored.stats()).isEqualTo(new MirrorStats(15, 3, 1, 1, 3, 150));
            assertThat(mirrored.images()).isEqualTo(2);
            assertThat(mirrored.imagesReused()).isEqualTo(1);
            assertThat(mirrored.builtAt()).as("the build's time, for rollout ordering").isEqualTo(BUILT_AT);
            assertThat(mirrored.imageContentSourcePolicy()).isEqualTo(ARTIFACT.imageContentSourcePolicy());
            assertThat(mirrored.imageDigestMirrorSet()).isEqualTo(ARTIFACT.imageDigestMirrorSet());
        });
    }

    @Test
    void anyFailedImageFailsTheCatalogNamingIt() {
        var event = completion.decide(List.of(catalogJob("DONE"), new JobRecord("quay.io/a/b@" + D2,
                "mirror.example.com/a/b:x", false, "FAILED", null, "digest mismatch", MirrorStats.ZERO, false)));

        assertThat(event).get().isInstanceOfSatisfying(CatalogMirrorFailed.class, failed -> {
            assertThat(failed.failedImages()).singleElement().satisfies(f -> {
                assertThat(f.source()).isEqualTo("quay.io/a/b@" + D2);
                assertThat(f.error()).isEqualTo("digest mismatch");
            });
            assertThat(failed.failedCount()).isEqualTo(1);
            assertThat(failed.reason()).isEqualTo("1 of 2 images could not be mirrored");
        });
    }

    @Test
    void aFailureEventCountsEveryFailedImageButListsOnlyTheFirst() {
        List<JobRecord> jobs = new java.util.ArrayList<>(List.of(catalogJob("DONE")));
        for (int i = 0; i < CatalogMirrorFailed.PREVIEW * 3; i++) {
            jobs.add(new JobRecord("quay.io/a/b" + (1000 + i) + "@" + D2, "mirror.example.com/a/b:x", false, "FAILED",
                    null, "gone", MirrorStats.ZERO, false));
        }

        assertThat(completion.decide(jobs)).get().isInstanceOfSatisfying(CatalogMirrorFailed.class, failed -> {
            assertThat(failed.failedCount()).isEqualTo(CatalogMirrorFailed.PREVIEW * 3);
            assertThat(failed.failedImages()).hasSize(CatalogMirrorFailed.PREVIEW)
                    .first().extracting(FailedImage::source).isEqualTo("quay.io/a/b1000@" + D2);
        });
    }
}
