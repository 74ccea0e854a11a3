package dev.catalogautopilot.testing.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.testing.registry.LocalRegistry;
import dev.catalogautopilot.testing.upstream.ImagePusher;
import dev.catalogautopilot.testing.upstream.UpstreamSimulator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Simulated clusters against a real registry: kubeconfig, CRUD API, OLM verdicts, faults and the request log. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulatedClusterTest {

    private static final String NS = SimulatedCluster.MARKETPLACE;

    private LocalRegistry mirror;
    private LocalRegistry empty;
    private String present;
    private SimulatedFleet fleet;

    @BeforeAll
    void start() {
        mirror = LocalRegistry.start();
        empty = LocalRegistry.start();
        ImageReference target = mirror.image("olm/catalog:v1");
        present = ImagePusher.loopback().push(target, UpstreamSimulator.syntheticImage(target).get(0)).pinned()
                .withoutTag().toString();
        fleet = SimulatedFleet.start(3, i -> SimulatedCluster.builder("sim-" + i).label("ring", i == 0 ? "canary" : "main")
                .readyDelay(Duration.ofMillis(100)).imageDigestMirrorSets(i != 2));
    }

    @AfterAll
    void stop() {
        if (fleet != null) {
            fleet.close();
        }
        mirror.close();
        empty.close();
    }

    @Test
    void kubeconfigReachesTheClusterAndOlmReportsReadyAfterConnectingWithSecondPrecision() throws Exception {
        SimulatedCluster cluster = fleet.cluster("sim-0");
        assertThat(Files.readString(cluster.kubeconfig())).contains(cluster.url()).contains("current-context: sim-0");
        Instant before = Instant.now().minusSeconds(1);
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig("sim-0", Files.readString(cluster.kubeconfig()), null)).build()) {
            cluster.seedCatalogSource(NS, "ready", present);
            GenericKubernetesResource cs = client.genericKubernetesResources(OpenShiftApis.CATALOG_SOURCE)
                    .inNamespace(NS).withName("ready").get();
            assertThat(SimulatedCluster.observedState(cs)).contains("READY");
            String lastConnect = Resources.text(cs, "status", "connectionState", "lastConnect");
            assertThat(lastConnect).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
            assertThat(Instant.parse(lastConnect)).isAfterOrEqualTo(before.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        }
    }

    @Test
    void imageMissingFromTheRegistryItsMirrorSetPointsAtFails() {
        SimulatedCluster cluster = fleet.cluster("sim-1");
        cluster.addImageContentSourcePolicy("broken", mirror.host() + "/olm", empty.host() + "/olm");
        assertThat(SimulatedCluster.observedState(cluster.seedCatalogSource(NS, "redirected", present)))
                .contains("TRANSIENT_FAILURE");
        assertThat(cluster.olm().mirrorRules()).extracting(MirrorRule::source).containsExactly(mirror.host() + "/olm");
    }

    @Test
    void patchingTheImageGoesThroughConnectingAgainAndStatusWritesAreNotCountedAsPatches() {
        SimulatedCluster cluster = fleet.cluster("sim-2");
        cluster.seedCatalogSource(NS, "moving", mirror.host() + "/olm/missing@sha256:" + "cd".repeat(32));
        assertThat(cluster.catalogSource(NS, "moving").flatMap(SimulatedCluster::observedState))
                .contains("TRANSIENT_FAILURE");
        cluster.client().genericKubernetesResources(OpenShiftApis.CATALOG_SOURCE).inNamespace(NS).withName("moving")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"image\":\"" + present + "\"}}");
        GenericKubernetesResource ready = cluster.awaitCatalogSource(NS, "moving",
                cs -> SimulatedCluster.observedState(cs).filter("READY"::equals).isPresent(), Duration.ofSeconds(10));
        assertThat(Resources.text(ready, "spec", "image")).isEqualTo(present);
        assertThat(cluster.requests().catalogSourcePatches(NS, "moving")).isEqualTo(1);
        assertThat(cluster.requests().catalogSourceWrites(NS, "moving")).isEqualTo(2);
    }

    @Test
    void silentOlmLeavesTheStatusAloneAndFailingApiServerAnswers503() {
        SimulatedCluster cluster = fleet.cluster("sim-0");
        cluster.olm().behaviour(OlmBehaviour.SILENT);
        try {
            cluster.client().genericKubernetesResources(OpenShiftApis.CATALOG_SOURCE).inNamespace(NS)
                    .resource(new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                            .withApiVersion("operators.coreos.com/v1alpha1").withKind("CatalogSource")
                            .withNewMetadata().withName("ignored").withNamespace(NS).endMetadata()
                            .addToAdditionalProperties("spec", java.util.Map.of("image", present)).build())
                    .create();
            sleep(600);
            assertThat(cluster.catalogSource(NS, "ignored").flatMap(SimulatedCluster::observedState)).isEmpty();
        } finally {
            cluster.olm().behaviour(OlmBehaviour.PULL);
        }
        cluster.apiServer(ApiServerMode.FAILING);
        try {
            assertThatThrownBy(() -> cluster.catalogSource(NS, "ignored")).isInstanceOf(KubernetesClientException.class);
        } finally {
            cluster.apiServer(ApiServerMode.ANSWERING);
        }
    }

    @Test
    void fleetPropertiesNameEveryClusterWithItsKubeconfigContextAndLabels() {
        assertThat(fleet.rolloutProperties())
                .containsEntry("rollout.clusters.sim-0.context", "sim-0")
                .containsEntry("rollout.clusters.sim-1.labels.ring", "main")
                .containsEntry("rollout.clusters.sim-2.kubeconfig", fleet.cluster("sim-2").kubeconfig().toString());
        assertThat(fleet.clusters()).extracting(SimulatedCluster::servesImageDigestMirrorSets)
                .containsExactly(true, true, false);
        assertThat(servedKinds(fleet.cluster("sim-0"))).contains("ImageDigestMirrorSet");
        assertThat(servedKinds(fleet.cluster("sim-2"))).doesNotContain("ImageDigestMirrorSet");
    }

    private static List<String> servedKinds(SimulatedCluster cluster) {
        var resources = cluster.client().getApiResources("config.openshift.io/v1");
        return resources == null ? List.of()
                : resources.getResources().stream().map(io.fabric8.kubernetes.api.model.APIResource::getKind).toList();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
