package dev.catalogautopilot.mirror.plan;

import dev.catalogautopilot.events.ContentRef;
import dev.catalogautopilot.events.ContentTypes;
import dev.catalogautopilot.registry.ContentArtifacts;
import dev.catalogautopilot.registry.ContentArtifacts.Part;
import dev.catalogautopilot.registry.ContentArtifacts.Stored;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.RegistryClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a plan publishes for its completion event to name rather than carry: mapping.txt, the two mirror sets and
 * the rejected references, as an OCI artifact in the mirrored catalog's repository, tagged
 * {@code sha256-<catalog hex>.mirror}. Published when the plan is made, since all four follow from the plan alone.
 *
 * @param mapping                  {@code mapping.txt}
 * @param imageContentSourcePolicy the ImageContentSourcePolicy YAML
 * @param imageDigestMirrorSet     the ImageDigestMirrorSet YAML
 * @param rejected                 the rejected references
 */
public record PlanArtifact(ContentRef mapping, ContentRef imageContentSourcePolicy, ContentRef imageDigestMirrorSet,
                           ContentRef rejected) {

    public static PlanArtifact publish(RegistryClient registry, MirrorPlan plan) {
        StringBuilder rejected = new StringBuilder();
        plan.rejected().forEach(r -> rejected.append(r.reference().replace('\n', ' ')).append('\t')
                .append(r.reason().replace('\n', ' ')).append('\n'));
        Map<String, Part> parts = new LinkedHashMap<>();
        parts.put(ManifestFiles.MAPPING, Part.text(ContentTypes.MAPPING, plan.mappingTxt()));
        parts.put(ManifestFiles.ICSP, Part.text(ContentTypes.IMAGE_CONTENT_SOURCE_POLICY,
                plan.imageContentSourcePolicy()));
        parts.put(ManifestFiles.IDMS, Part.text(ContentTypes.IMAGE_DIGEST_MIRROR_SET, plan.imageDigestMirrorSet()));
        parts.put("rejected.txt", Part.text(ContentTypes.REJECTED_REFERENCES, rejected.toString()));
        PlannedImage catalog = plan.catalogImage();
        ImageReference target = catalog.target();
        String digest = catalog.source().digest() != null ? catalog.source().digest().value() : null;
        String tag = digest != null ? ContentTypes.attachmentTag(digest, "mirror") : target.tag() + ".mirror";
        Map<String, Stored> stored = new ContentArtifacts(registry).push(target.repositoryRef(), tag,
                ContentTypes.MIRROR_ARTIFACT, parts);
        int images = plan.images().size();
        int repositories = MirrorSets.repositoryMirrors(plan.images()).size();
        return new PlanArtifact(ref(stored.get(ManifestFiles.MAPPING), images),
                ref(stored.get(ManifestFiles.ICSP), repositories), ref(stored.get(ManifestFiles.IDMS), repositories),
                ref(stored.get("rejected.txt"), plan.rejected().size()));
    }

    private static ContentRef ref(Stored stored, int entries) {
        return new ContentRef(stored.reference(), stored.mediaType(), stored.size(), entries);
    }
}
