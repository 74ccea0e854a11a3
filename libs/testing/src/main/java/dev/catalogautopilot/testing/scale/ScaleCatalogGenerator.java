package dev.catalogautopilot.testing.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.catalogautopilot.testing.upstream.CsvImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Multiplies the fixture packages into a catalog of a given {@link ScaleSpec}, deterministically: the same spec,
 * templates and image host give byte-identical files.
 *
 * <p>Generated package {@code p} copies fixture package {@code p mod T} as {@code <fixture>-sNNN}. Its bundles
 * {@code 1.0.0}, {@code 1.1.0}, … form one {@code replaces} chain; bundle {@code i} is the fixture's version
 * directory {@code i mod V} with the CSV renamed {@code <package>.v1.<i>.0}, its {@code skips} and
 * {@code olm.skipRange} dropped (they named fixture versions), and every image it names replaced by a generated
 * image of the package's repositories; images beyond the fixture CSV's own are added to {@code spec.relatedImages}.
 * Up to three of the fixture's channels are kept: the default one heads at the newest bundle, the others at the
 * bundles before it. Every generated image belongs to exactly one bundle, so the counts are exact.
 */
public final class ScaleCatalogGenerator {

    private ScaleCatalogGenerator() {
    }

    /**
     * Generates into {@code outDir} (created; it must not hold files) from the package-manifest packages under
     * {@code templatesDir}, referencing images as {@code imageHost/<package>/image-<k>@sha256:…}.
     */
    public static ScaleCatalog generate(ScaleSpec spec, Path templatesDir, String imageHost, Path outDir) {
        List<TemplatePackage> templates = TemplatePackage.load(templatesDir);
        try {
            Files.createDirectories(outDir);
            try (Stream<Path> existing = Files.list(outDir)) {
                if (existing.findAny().isPresent()) {
                    throw new IllegalArgumentException("Not empty: " + outDir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + outDir, e);
        }
        // Each package depends only on its index; the ordered collect keeps the image list deterministic.
        List<List<ScaleImage>> perPackage = IntStream.range(0, spec.packages()).parallel()
                .mapToObj(p -> new PackageWriter(spec, p, templates.get(p % templates.size()), imageHost, outDir)
                        .write())
                .toList();
        List<String> names = IntStream.range(0, spec.packages())
                .mapToObj(p -> packageName(templates.get(p % templates.size()), p)).toList();
        return new ScaleCatalog(spec, imageHost, outDir, names, spec.bundles(),
                perPackage.stream().flatMap(List::stream).toList());
    }

    static String packageName(TemplatePackage template, int index) {
        return String.format("%s-s%03d", template.name(), index);
    }

    /** Writes one generated package. */
    private static final class PackageWriter {

        private final ScaleSpec spec;
        private final int index;
        private final TemplatePackage template;
        private final String host;
        private final String name;
        private final Path dir;
        private final int firstBundle;
        private final int bundles;
        private final int firstImage;
        private final int repositories;
        private final Map<String, TinyImage> content = new HashMap<>();

        PackageWriter(ScaleSpec spec, int index, TemplatePackage template, String host, Path outDir) {
            this.spec = spec;
            this.index = index;
            this.template = template;
            this.host = host;
            this.name = packageName(template, index);
            this.dir = outDir.resolve(name);
            this.firstBundle = ScaleSpec.start(spec.bundles(), spec.packages(), index);
            this.bundles = ScaleSpec.share(spec.bundles(), spec.packages(), index);
            this.firstImage = ScaleSpec.start(spec.images(), spec.bundles(), firstBundle);
            this.repositories = ScaleSpec.share(spec.repositories(), spec.packages(), index);
            int images = ScaleSpec.start(spec.images(), spec.bundles(), firstBundle + bundles) - firstImage;
            if (images < repositories) {
                throw new IllegalArgumentException("package " + name + " gets " + images + " images for "
                        + repositories + " repositories; give " + spec + " more images per repository");
            }
        }

        List<ScaleImage> write() {
            List<ScaleImage> images = new ArrayList<>();
            String previous = null;
            for (int i = 0; i < bundles; i++) {
                String version = "1." + i + ".0";
                String csvName = name + ".v" + version;
                int bundle = firstBundle + i;
                List<ScaleImage> own = new ArrayList<>();
                int first = ScaleSpec.start(spec.images(), spec.bundles(), bundle);
                for (int slot = 0; slot < ScaleSpec.share(spec.images(), spec.bundles(), bundle); slot++) {
                    own.add(image(first + slot - firstImage, version, slot));
                }
                TemplatePackage.Bundle pattern = template.bundles().get(i % template.bundles().size());
                Path versionDir = dir.resolve(version);
                write(versionDir.resolve(csvName + ".clusterserviceversion.yaml"),
                        ScaleYaml.write(csv(pattern, csvName, version, previous, own)));
                pattern.files().forEach((file, bytes) -> write(versionDir.resolve(file), bytes));
                images.addAll(own);
                previous = csvName;
            }
            write(dir.resolve(name + ".package.yaml"), ScaleYaml.write(packageYaml()));
            return images;
        }

        /** Image {@code local} of this package: repositories take the package's images in turn. */
        private ScaleImage image(int local, String version, int slot) {
            String repository = name + "/image-" + (local % repositories);
            String tag = "v" + version + "-" + slot;
            TinyImage tiny = content.computeIfAbsent(repository, TinyImage::of);
            return new ScaleImage(repository, tag, tiny.manifest(tag).digest());
        }

        private JsonNode csv(TemplatePackage.Bundle pattern, String csvName, String version, String previous,
                List<ScaleImage> own) {
            ObjectNode csv = pattern.csv().deepCopy();
            ObjectNode metadata = object(csv, "metadata");
            metadata.put("name", csvName);
            if (metadata.get("annotations") instanceof ObjectNode annotations) {
                annotations.remove("olm.skipRange");
                if (annotations.path("olm.properties").asText().contains("olm.package")) {
                    annotations.remove("olm.properties");
                }
            }
            ObjectNode specNode = object(csv, "spec");
            specNode.put("version", version);
            specNode.remove("skips");
            if (previous == null) {
                specNode.remove("replaces");
            } else {
                specNode.put("replaces", previous);
            }
            List<String> references = own.stream().map(image -> image.pinned(host).toString()).toList();
            Map<String, String> replacements = new HashMap<>();
            for (int j = 0; j < pattern.images().size(); j++) {
                replacements.put(pattern.images().get(j), references.get(j % references.size()));
            }
            replaceText(csv, replacements);
            if (references.size() > pattern.images().size()) {
                ArrayNode related = specNode.get("relatedImages") instanceof ArrayNode a ? a
                        : specNode.putArray("relatedImages");
                for (int slot = pattern.images().size(); slot < references.size(); slot++) {
                    related.addObject().put("name", "scale-image-" + slot).put("image", references.get(slot));
                }
            }
            Set<String> named = CsvImages.of(csv);
            if (!named.equals(new LinkedHashSet<>(references))) {
                throw new IllegalStateException("CSV " + csvName + " names " + named + ", expected " + references);
            }
            return csv;
        }

        private JsonNode packageYaml() {
            List<String> kept = template.channels().stream().limit(Math.min(3, bundles)).toList();
            String defaultChannel = kept.contains(template.defaultChannel()) ? template.defaultChannel() : kept.get(0);
            ObjectNode root = ScaleYaml.mapper().createObjectNode();
            root.put("packageName", name);
            ArrayNode channels = root.putArray("channels");
            int head = bundles - 1;
            channels.addObject().put("name", defaultChannel).put("currentCSV", name + ".v1." + head + ".0");
            for (String channel : kept) {
                if (!channel.equals(defaultChannel)) {
                    head--;
                    channels.addObject().put("name", channel).put("currentCSV", name + ".v1." + head + ".0");
                }
            }
            root.put("defaultChannel", defaultChannel);
            return root;
        }

        private static ObjectNode object(ObjectNode parent, String field) {
            return parent.get(field) instanceof ObjectNode child ? child : parent.putObject(field);
        }

        /** Replaces every string value equal to a key, wherever it is (env values name images too). */
        private static void replaceText(JsonNode node, Map<String, String> replacements) {
            if (node instanceof ObjectNode object) {
                List<String> names = new ArrayList<>();
                for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
                    names.add(it.next());
                }
                for (String field : names) {
                    JsonNode value = object.get(field);
                    String replacement = value.isTextual() ? replacements.get(value.asText()) : null;
                    if (replacement != null) {
                        object.set(field, TextNode.valueOf(replacement));
                    } else {
                        replaceText(value, replacements);
                    }
                }
            } else if (node instanceof ArrayNode array) {
                for (int i = 0; i < array.size(); i++) {
                    JsonNode value = array.get(i);
                    String replacement = value.isTextual() ? replacements.get(value.asText()) : null;
                    if (replacement != null) {
                        array.set(i, TextNode.valueOf(replacement));
                    } else {
                        replaceText(value, replacements);
                    }
                }
            }
        }

        private static void write(Path file, byte[] bytes) {
            try {
                Files.createDirectories(file.getParent());
                Files.write(file, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + file, e);
            }
        }
    }
}
