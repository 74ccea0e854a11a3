package dev.catalogautopilot.mirror.track;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.events.mirror.CatalogMirrorFailed;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.events.mirror.MirrorStats;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanCompletionTest {

    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String D2 = "sha256:" + "2".repeat(64);
    private final PlanCompletion completion = new PlanCompletion("plan-1", "community",
            "build.example.com/olm/community:v2@" + D1,
            "build.example.com/olm/community:v2@" + D1 + "=mirror.example.com/olm/community:v2\n"
                    + "quay.io/a/b@" + D2 + "=mirror.example.com/a/b:" + D2.substring(7) + "\n",
            "icsp", "idms");

    private static JobRecord catalogJob(String result) {
        return new JobRecord("build.example.com/olm/community:v2@" + D1, "mirror.example.com/olm/community:v2", true,
                result, D1, null, new MirrorStats(10, 1, 0, 0, 2, 100));
    }

    @Test
    void waitsWhileAnyJobHasNoResult() {
        assertThat(completion.decide(List.of(catalogJob("DONE"), new JobRecord("quay.io/a/b@" + D2,
                "mirror.example.com/a/b:x", false, null, null, null, MirrorStats.ZERO)))).isEmpty();
    }

    @Test
    void mirroredCarriesTheCatalogDigestInTheMirrorTheMappingAndSummedStats() {
        var event = completion.decide(List.of(catalogJob("DONE"), new JobRecord("quay.io/a/b@" + D2,
                "mirror.example.com/a/b:x", false, "DONE", D2, null, new MirrorStats(5, 2, 1, 1, 1, 50))));

        assertThat(event).get().isInstanceOfSatisfying(CatalogMirrored.class, mirrored -> {
            assertThat(mirrored.catalogImage()).isEqualTo("mirror.example.com/olm/community@" + D1);
            assertThat(mirrored.mapping()).hasSize(2);
            assertThat(mirrored.stats()).isEqualTo(new MirrorStats(15, 3, 1, 1, 3, 150));
            assertThat(mirrored.images()).isEqualTo(2);
            assertThat(mirrored.imageContentSourcePolicy()).isEqualTo("icsp");
        });
    }

    @Test
    void anyFailedImageFailsTheCatalogNamingIt() {
        var event = completion.decide(List.of(catalogJob("DONE"), new JobRecord("quay.io/a/b@" + D2,
                "mirror.example.com/a/b:x", false, "FAILED", null, "digest mismatch", MirrorStats.ZERO)));

        assertThat(event).get().isInstanceOfSatisfying(CatalogMirrorFailed.class, failed -> {
            assertThat(failed.failedImages()).singleElement().satisfies(f -> {
                assertThat(f.source()).isEqualTo("quay.io/a/b@" + D2);
                assertThat(f.error()).isEqualTo("digest mismatch");
            });
            assertThat(failed.reason()).isEqualTo("1 of 2 images could not be mirrored");
        });
    }
}
