package dev.catalogautopilot.rollout.mirrorset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MirrorSetDiffTest {

    private static final String ICSP = """
            apiVersion: operator.openshift.io/v1alpha1
            kind: ImageContentSourcePolicy
            metadata:
              name: redhat-operators
              labels:
                operators.openshift.org/catalog: "true"
            spec:
              repositoryDigestMirrors:
              - source: quay.io/strimzi/operator
                mirrors:
                - mirror.example.com:5000/strimzi/operator
              - source: quay.io/jaeger/operator
                mirrors:
                - mirror.example.com:5000/jaeger/operator
                - backup.example.com/jaeger/operator
            """;

    private final MirrorSet desired = MirrorSet.parse(ICSP);

    @Test
    void parsesTheDocumentOfTheEvent() {
        assertThat(desired.kind()).isEqualTo(MirrorSetKind.ICSP);
        assertThat(desired.name()).isEqualTo("redhat-operators");
        assertThat(desired.labels()).containsEntry("operators.openshift.org/catalog", "true");
        assertThat(desired.entries()).extracting(MirrorEntry::source)
                .containsExactly("quay.io/strimzi/operator", "quay.io/jaeger/operator");
    }

    @Test
    void absentIsCreatedAndIdenticalContentIsLeftAloneWhateverTheOrderOfEntriesAndExtraMetadata() {
        assertThat(MirrorSetDiff.compare(desired, Optional.empty())).isEqualTo(MirrorSetChange.CREATE);
        List<MirrorEntry> reordered = List.of(desired.entries().get(1), desired.entries().get(0));
        MirrorSet onCluster = new MirrorSet(MirrorSetKind.ICSP, "redhat-operators",
                Map.of("operators.openshift.org/catalog", "true", "added-by", "admin"), reordered);
        assertThat(MirrorSetDiff.compare(desired, Optional.of(onCluster))).isEqualTo(MirrorSetChange.UNCHANGED);
    }

    @Test
    void differentMirrorsTheirOrderANewSourceOrAMissingLabelIsAnUpdate() {
        MirrorSet swappedMirrors = new MirrorSet(MirrorSetKind.ICSP, "redhat-operators", desired.labels(), List.of(
                desired.entries().get(0), new MirrorEntry("quay.io/jaeger/operator", List.of(
                        "backup.example.com/jaeger/operator", "mirror.example.com:5000/jaeger/operator"), null)));
        MirrorSet fewer = new MirrorSet(MirrorSetKind.ICSP, "redhat-operators", desired.labels(),
                desired.entries().subList(0, 1));
        MirrorSet unlabelled = new MirrorSet(MirrorSetKind.ICSP, "redhat-operators", Map.of(), desired.entries());

        assertThat(MirrorSetDiff.compare(desired, Optional.of(swappedMirrors))).isEqualTo(MirrorSetChange.UPDATE);
        assertThat(MirrorSetDiff.compare(desired, Optional.of(fewer))).isEqualTo(MirrorSetChange.UPDATE);
        assertThat(MirrorSetDiff.compare(desired, Optional.of(unlabelled))).isEqualTo(MirrorSetChange.UPDATE);
    }

    @Test
    void digestMirrorSetPolicyCountsAndConversionToIcspDropsIt() {
        MirrorSet idms = new MirrorSet(MirrorSetKind.IDMS, "catalog", Map.of(), List.of(
                new MirrorEntry("quay.io/a", List.of("m.example.com/a"), "NeverContactSource")));
        MirrorSet allowing = new MirrorSet(MirrorSetKind.IDMS, "catalog", Map.of(), List.of(
                new MirrorEntry("quay.io/a", List.of("m.example.com/a"), null)));
        assertThat(MirrorSetDiff.compare(idms, Optional.of(allowing))).isEqualTo(MirrorSetChange.UPDATE);

        MirrorSet asIcsp = idms.as(MirrorSetKind.ICSP);
        assertThat(asIcsp.kind()).isEqualTo(MirrorSetKind.ICSP);
        assertThat(asIcsp.entries()).singleElement().satisfies(e -> assertThat(e.mirrorSourcePolicy()).isNull());
        assertThat(asIcsp.spec()).containsKey("repositoryDigestMirrors");
        assertThat(MirrorSet.of(asIcsp.toResource())).isEqualTo(asIcsp);
    }
}
