package dev.catalogautopilot.mirror.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MirrorPlannerTest {

    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);

    private final MirrorPlanner planner = new MirrorPlanner(TargetNaming.of("mirror.example.com:5000", 2));

    private MirrorPlan plan(List<String> referenced) {
        return planner.plan("community", "build.example.com/olm/community-operators:v2@" + C, referenced);
    }

    @Test
    void plansTheCatalogImageAndEveryReferencedImageOnceSortedBySource() {
        MirrorPlan plan = plan(List.of("quay.io/strimzi/operator@" + A,
                "docker.io/library/busybox@" + B, "busybox@" + B, "quay.io/strimzi/operator@" + A));

        assertThat(plan.images()).extracting(i -> i.source().toString()).containsExactly(
                "build.example.com/olm/community-operators:v2@" + C,
                "docker.io/library/busybox@" + B,
                "quay.io/strimzi/operator@" + A);
        assertThat(plan.catalogImage().target().toString())
                .isEqualTo("mirror.example.com:5000/olm/community-operators:v2");
        assertThat(plan.mappingTxt()).isEqualTo(
                "build.example.com/olm/community-operators:v2@" + C
                        + "=mirror.example.com:5000/olm/community-operators:v2\n"
                        + "docker.io/library/busybox@" + B + "=mirror.example.com:5000/library/busybox:" + "b".repeat(64) + "\n"
                        + "quay.io/strimzi/operator@" + A + "=mirror.example.com:5000/strimzi/operator:" + "a".repeat(64) + "\n");
    }

    @Test
    void rejectsMalformedReferencesWithAReasonInsteadOfDroppingThemSilently() {
        MirrorPlan plan = plan(List.of("quay.io/x/y@@" + A, "quay.io/strimzi/operator@" + A));

        assertThat(plan.images()).hasSize(2);
        assertThat(plan.rejected()).singleElement().satisfies(r -> {
            assertThat(r.reference()).isEqualTo("quay.io/x/y@@" + A);
            assertThat(r.reason()).isNotBlank();
        });
    }

    @Test
    void mirrorSetsListEachDigestPinnedSourceRepositoryOnce() {
        MirrorPlan plan = plan(List.of("quay.io/strimzi/operator@" + A, "quay.io/strimzi/operator@" + B,
                "quay.io/tagged/only:1.0"));

        assertThat(plan.imageContentSourcePolicy()).isEqualTo("""
                apiVersion: operator.openshift.io/v1alpha1
                kind: ImageContentSourcePolicy
                metadata:
                  name: community
                  labels:
                    operators.openshift.org/catalog: "true"
                spec:
                  repositoryDigestMirrors:
                  - source: build.example.com/olm/community-operators
                    mirrors:
                    - mirror.example.com:5000/olm/community-operators
                  - source: quay.io/strimzi/operator
                    mirrors:
                    - mirror.example.com:5000/strimzi/operator
                """);
        assertThat(plan.imageDigestMirrorSet()).startsWith("""
                apiVersion: config.openshift.io/v1
                kind: ImageDigestMirrorSet
                """).contains("""
                spec:
                  imageDigestMirrors:
                  - source: build.example.com/olm/community-operators
                """);
    }

    @Test
    void namesMirrorSetsAfterTheCatalogAsAValidObjectName() {
        assertThat(MirrorSets.objectName("Red_Hat Operators")).isEqualTo("red-hat-operators");
    }
}
