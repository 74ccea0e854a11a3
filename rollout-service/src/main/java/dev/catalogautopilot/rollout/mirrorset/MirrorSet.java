package dev.catalogautopilot.rollout.mirrorset;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The content of an ImageContentSourcePolicy or an ImageDigestMirrorSet that matters to the nodes: its name,
 * its labels and its source-to-mirrors entries.
 */
public record MirrorSet(MirrorSetKind kind, String name, Map<String, String> labels, List<MirrorEntry> entries) {

    public MirrorSet {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
        entries = List.copyOf(entries);
    }

    /** Reads a mirror set document (YAML or JSON) such as {@code catalog.mirrored.v1} carries. */
    public static MirrorSet parse(String document) {
        GenericKubernetesResource resource;
        try {
            resource = Serialization.unmarshal(document, GenericKubernetesResource.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a mirror set document: " + e.getMessage(), e);
        }
        if (resource == null || resource.getKind() == null || resource.getMetadata() == null
                || resource.getMetadata().getName() == null) {
            throw new IllegalArgumentException("mirror set document without kind or metadata.name");
        }
        return of(resource);
    }

    /** The mirror set a cluster holds. */
    public static MirrorSet of(GenericKubernetesResource resource) {
        MirrorSetKind kind = MirrorSetKind.ofKind(resource.getKind());
        Map<String, String> labels = resource.getMetadata().getLabels() == null ? Map.of()
                : resource.getMetadata().getLabels();
        List<MirrorEntry> entries = new ArrayList<>();
        if (resource.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
                && spec.get(kind.entriesField()) instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> entry && entry.get("source") instanceof String source) {
                    List<String> mirrors = entry.get("mirrors") instanceof List<?> m
                            ? m.stream().map(String::valueOf).toList() : List.of();
                    Object policy = entry.get("mirrorSourcePolicy");
                    entries.add(new MirrorEntry(source, mirrors, policy == null ? null : policy.toString()));
                }
            }
        }
        return new MirrorSet(kind, resource.getMetadata().getName(), labels, entries);
    }

    /** The same entries as the other kind; converting to an ICSP drops {@code mirrorSourcePolicy}. */
    public MirrorSet as(MirrorSetKind target) {
        if (target == kind) {
            return this;
        }
        List<MirrorEntry> converted = target == MirrorSetKind.ICSP
                ? entries.stream().map(e -> new MirrorEntry(e.source(), e.mirrors(), null)).toList()
                : entries;
        return new MirrorSet(target, name, labels, converted);
    }

    /** The {@code spec} of the resource. */
    public Map<String, Object> spec() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (MirrorEntry entry : entries) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("source", entry.source());
            item.put("mirrors", entry.mirrors());
            if (entry.mirrorSourcePolicy() != null) {
                item.put("mirrorSourcePolicy", entry.mirrorSourcePolicy());
            }
            list.add(item);
        }
        return Map.of(kind.entriesField(), list);
    }

    /** A new resource with this content. */
    public GenericKubernetesResource toResource() {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(kind.apiVersion()).withKind(kind.kind())
                .withNewMetadata().withName(name).withLabels(labels.isEmpty() ? null : labels).endMetadata()
                .addToAdditionalProperties("spec", spec())
                .build();
    }
}
