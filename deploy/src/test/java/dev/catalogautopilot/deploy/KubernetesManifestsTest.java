package dev.catalogautopilot.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.catalogautopilot.events.EventSizeLimit;
import dev.catalogautopilot.events.Topics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Renders the kustomize base and each overlay and checks the objects and their references. */
class KubernetesManifestsTest {

    private static final Set<String> SERVICES = Set.of("watcher-service", "builder-service", "mirror-service",
            "rollout-service");

    private static List<HasMetadata> render(String dir) {
        List<ObjectNode> docs = Kustomize.render(Path.of("k8s", dir));
        return docs.stream().map(d -> (HasMetadata) Serialization.unmarshal(d.toString())).toList();
    }

    private static <T> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static List<GenericKubernetesResource> ofKind(List<HasMetadata> objects, String kind) {
        return ofType(objects, GenericKubernetesResource.class).stream().filter(r -> r.getKind().equals(kind)).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
    void everyServiceHasADeploymentWithHealthProbesAndAService(String dir) {
        List<HasMetadata> objects = render(dir);
        List<Deployment> deployments = ofType(objects, Deployment.class);
        assertThat(deployments).extracting(d -> d.getMetadata().getName()).containsExactlyInAnyOrderElementsOf(SERVICES);
        for (Deployment d : deployments) {
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
            assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
            assertThat(c.getImage()).contains(d.getMetadata().getName() + ":");
            assertThat(c.getEnv()).as("a JVM out of memory exits and restarts")
                    .anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue())
                            .startsWith("JAVA_TOOL_OPTIONS=").contains("-XX:+ExitOnOutOfMemoryError"));
            assertThat(d.getSpec().getSelector().getMatchLabels())
                    .isEqualTo(Map.of("app.kubernetes.io/name", d.getMetadata().getName()));
        }
        List<Service> services = ofType(objects, Service.class).stream()
                .filter(s -> SERVICES.contains(s.getMetadata().getName())).toList();
        assertThat(services).hasSize(4).allSatisfy(s -> assertThat(deployments).anySatisfy(d ->
                assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                        .containsAllEntriesOf(s.getSpec().getSelector())));
    }

    /** The Secrets deploy/k8s/create-secrets.sh creates: every {@code create_secret <name>} call. */
    private static Set<String> createdSecrets() throws java.io.IOException {
        java.util.regex.Matcher call = java.util.regex.Pattern.compile("(?m)^\\s*create_secret ([a-z0-9-]+) ")
                .matcher(java.nio.file.Files.readString(Path.of("k8s", "create-secrets.sh")));
        Set<String> names = new java.util.TreeSet<>();
        while (call.find()) {
            names.add(call.group(1));
        }
        return names;
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
    void shipsNoSecretAndNoPasswordSoReapplyingResetsNoCredential(String dir) {
        List<ObjectNode> docs = Kustomize.render(Path.of("k8s", dir));
        assertThat(docs).noneSatisfy(d -> assertThat(d.path("kind").asText()).isEqualTo("Secret"));
        for (ObjectNode doc : docs) {
            String text = doc.toString();
            assertThat(text).as(doc.path("kind").asText() + " " + doc.path("metadata").path("name").asText())
                    .doesNotContainIgnoringCase("change-me")
                    .doesNotContainPattern("(?i)\"[^\"]*(password|passwd)[^\"]*\"\\s*:\\s*\"[^\"]+\"")
                    .doesNotContainPattern("(?i)(password|passwd)\\s*=\\s*[^\\s$]");
        }
        for (Deployment d : ofType(render(dir), Deployment.class)) {
            assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                    .as("credentials come from Secrets, never literal values")
                    .noneSatisfy(e -> assertThat(e.getName()).containsIgnoringCase("PASSWORD"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
    void everySecretADeploymentUsesIsCreatedByTheScriptAndEveryConfigMapExists(String dir) throws Exception {
        List<HasMetadata> objects = render(dir);
        Set<String> secrets = createdSecrets();
        assertThat(secrets).contains("catalog-autopilot-postgres", "api-users");
        Set<String> configMaps = ofType(objects, ConfigMap.class).stream().map(s -> s.getMetadata().getName())
                .collect(Collectors.toSet());
        for (Deployment d : ofType(objects, Deployment.class)) {
            var pod = d.getSpec().getTemplate().getSpec();
            for (Volume v : pod.getVolumes()) {
                if (v.getSecret() != null) {
                    assertThat(secrets).contains(v.getSecret().getSecretName());
                }
                if (v.getConfigMap() != null) {
                    assertThat(configMaps).contains(v.getConfigMap().getName());
                }
            }
            for (EnvFromSource e : pod.getContainers().get(0).getEnvFrom()) {
                assertThat(secrets).contains(e.getSecretRef().getName());
            }
            assertThat(pod.getContainers().get(0).getVolumeMounts()).extracting(m -> m.getName())
                    .containsExactlyInAnyOrderElementsOf(pod.getVolumes().stream().map(Volume::getName).toList());
            assertThat(pod.getServiceAccountName()).isEqualTo("catalog-autopilot");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
    void kafkaTopicsKeepTheAuditLogAndMirrorScalingStopsAtThePartitionCount(String dir) throws Exception {
        List<HasMetadata> objects = render(dir);
        assertThat(ofKind(objects, "Kafka")).hasSize(1);
        Map<String, Object> broker = ofKind(objects, "Kafka").get(0).get("spec", "kafka", "config");
        assertThat(broker).containsEntry("message.max.bytes", EventSizeLimit.MAX_RECORD_BYTES)
                .containsEntry("replica.fetch.max.bytes", EventSizeLimit.MAX_RECORD_BYTES);
        List<GenericKubernetesResource> topics = ofKind(objects, "KafkaTopic");
        assertThat(topics).extracting(t -> (String) t.get("spec", "topicName"))
                .containsExactlyInAnyOrderElementsOf(Topics.allWithDeadLetters());
        for (GenericKubernetesResource t : topics) {
            Map<String, Object> config = t.get("spec", "config");
            assertThat(config).containsEntry("retention.ms", "-1").containsEntry("cleanup.policy", "delete")
                    .containsEntry("max.message.bytes", Integer.toString(EventSizeLimit.MAX_RECORD_BYTES));
            assertThat(t.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "catalog-autopilot");
        }
        GenericKubernetesResource jobs = topics.stream()
                .filter(t -> Topics.MIRROR_JOBS.equals(t.get("spec", "topicName"))).findFirst().orElseThrow();
        GenericKubernetesResource scaler = ofKind(objects, "ScaledObject").get(0);
        assertThat((String) scaler.get("spec", "scaleTargetRef", "name")).isEqualTo("mirror-service");
        List<Map<String, Object>> triggers = scaler.get("spec", "triggers");
        assertThat(triggers.get(0).get("type")).isEqualTo("kafka");
        assertThat(((Map<?, ?>) triggers.get(0).get("metadata")).get("topic")).isEqualTo(Topics.MIRROR_JOBS);
        assertThat(((Map<?, ?>) triggers.get(0).get("metadata")).get("consumerGroup"))
                .as("the lag watched is that of the copy workers' consumer group")
                .isEqualTo(mirrorWorkersGroup()).isEqualTo("mirror-workers");
        int partitions = ((Number) jobs.get("spec", "partitions")).intValue();
        int maxReplicas = ((Number) scaler.get("spec", "maxReplicaCount")).intValue();
        assertThat(maxReplicas).isPositive().isLessThanOrEqualTo(partitions);
    }

    /** The group mirror-service's copy workers consume mirror.jobs with, from its application.properties. */
    private static String mirrorWorkersGroup() throws java.io.IOException {
        java.util.Properties properties = new java.util.Properties();
        try (var in = java.nio.file.Files.newInputStream(
                Path.of("..", "mirror-service", "src", "main", "resources", "application.properties"))) {
            properties.load(in);
        }
        return properties.getProperty("mp.messaging.incoming.jobs.group.id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/production"})
    void overlaysPutEverythingInTheirNamespace(String dir) {
        List<HasMetadata> objects = render(dir);
        String namespace = objects.stream().filter(o -> o.getKind().equals("Namespace")).findFirst().orElseThrow()
                .getMetadata().getName();
        assertThat(objects).filteredOn(o -> !o.getKind().equals("Namespace"))
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(namespace));
    }

    @org.junit.jupiter.api.Test
    void productionPinsImagesAndDevShrinksKafka() {
        assertThat(ofType(render("overlays/production"), Deployment.class)).allSatisfy(d ->
                assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                        .isEqualTo("registry.example.com/catalog-autopilot/" + d.getMetadata().getName() + ":0.1.0"));
        List<HasMetadata> dev = render("overlays/dev");
        GenericKubernetesResource pool = ofKind(dev, "KafkaNodePool").get(0);
        assertThat(((Number) pool.get("spec", "replicas")).intValue()).isEqualTo(1);
        assertThat((List<?>) pool.get("spec", "roles")).as("strategic merge keeps unpatched fields").hasSize(2);
        assertThat(ofKind(dev, "KafkaTopic")).allSatisfy(t ->
                assertThat(((Number) t.get("spec", "replicas")).intValue()).isEqualTo(1));
    }

    @org.junit.jupiter.api.Test
    void theRendererRejectsWhatItDoesNotUnderstand() throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("kustomize");
        java.nio.file.Files.writeString(dir.resolve("kustomization.yaml"), "resources: []\nreplicas:\n- name: x\n  count: 2\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Kustomize.render(dir))
                .hasMessageContaining("unsupported kustomization field replicas");
    }

}
