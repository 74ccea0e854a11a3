package dev.catalogautopilot.builder.fbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Renders a catalog as files, deterministically: one directory per package holding {@code catalog.json}, a stream
 * of its {@code olm.package}, {@code olm.channel} (by name), {@code olm.bundle} (by name) and other documents,
 * each with its keys sorted. Equal catalogs give equal bytes.
 */
public final class FbcWriter {

    /** The file each package directory holds. */
    public static final String FILE = "catalog.json";

    private static final byte[] NEWLINE = "\n".getBytes(StandardCharsets.UTF_8);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Path ({@code <package>/catalog.json}) to content, sorted by path. */
    public SortedMap<String, byte[]> render(Catalog catalog) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        for (CatalogPackage pkg : catalog.packages()) {
            files.put(pkg.name() + "/" + FILE, render(pkg));
        }
        return files;
    }

    /** The documents of one package. */
    public byte[] render(CatalogPackage pkg) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(pkg, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not thrown by a byte array
        }
        return out.toByteArray();
    }

    /** Streams the documents of one package to {@code out}: the same bytes as {@link #render(CatalogPackage)}. */
    public void write(CatalogPackage pkg, OutputStream out) throws IOException {
        write(out, packageDocument(pkg));
        for (Channel channel : pkg.channels()) {
            write(out, channelDocument(channel));
        }
        for (Bundle bundle : pkg.bundles()) {
            write(out, bundleDocument(bundle));
        }
        for (JsonNode other : pkg.others()) {
            write(out, other);
        }
    }

    static ObjectNode packageDocument(CatalogPackage pkg) {
        ObjectNode doc = NODES.objectNode().put("schema", "olm.package").put("name", pkg.name());
        putIfPresent(doc, "defaultChannel", pkg.defaultChannel());
        putIfPresent(doc, "description", pkg.description());
        setIfPresent(doc, "icon", pkg.icon());
        setIfPresent(doc, "properties", pkg.properties());
        return doc;
    }

    static ObjectNode channelDocument(Channel channel) {
        ObjectNode doc = NODES.objectNode().put("schema", "olm.channel").put("name", channel.name())
                .put("package", channel.packageName());
        ArrayNode entries = doc.putArray("entries");
        for (ChannelEntry entry : channel.entries()) {
            ObjectNode node = entries.addObject().put("name", entry.name());
            putIfPresent(node, "replaces", entry.replaces());
            if (!entry.skips().isEmpty()) {
                ArrayNode skips = node.putArray("skips");
                entry.skips().forEach(skips::add);
            }
            putIfPresent(node, "skipRange", entry.skipRange());
        }
        setIfPresent(doc, "properties", channel.properties());
        return doc;
    }

    static ObjectNode bundleDocument(Bundle bundle) {
        ObjectNode doc = NODES.objectNode().put("schema", "olm.bundle").put("name", bundle.name())
                .put("package", bundle.packageName());
        putIfPresent(doc, "image", bundle.image());
        ArrayNode properties = doc.putArray("properties");
        for (Property property : bundle.properties()) {
            ObjectNode node = properties.addObject().put("type", property.type());
            setIfPresent(node, "value", property.value());
        }
        if (!bundle.relatedImages().isEmpty()) {
            ArrayNode images = doc.putArray("relatedImages");
            for (RelatedImage image : bundle.relatedImages()) {
                ObjectNode node = images.addObject();
                putIfPresent(node, "name", image.name());
                node.put("image", image.image());
            }
        }
        return doc;
    }

    private void write(OutputStream out, JsonNode document) throws IOException {
        try {
            out.write(mapper.writeValueAsBytes(CanonicalJson.sorted(document)));
            out.write(NEWLINE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static void setIfPresent(ObjectNode node, String field, JsonNode value) {
        if (value != null && !value.isNull()) {
            node.set(field, value);
        }
    }
}
