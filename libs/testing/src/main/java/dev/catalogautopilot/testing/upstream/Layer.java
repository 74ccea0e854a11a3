package dev.catalogautopilot.testing.upstream;

import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.MediaTypes;

import java.util.Arrays;
import java.util.Objects;

/** One image layer: its stored bytes, media type, and the digest of its uncompressed tar (the config's diff_id). */
public record Layer(String mediaType, byte[] content, Digest diffId) {

    public Layer {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(diffId, "diffId");
    }

    /** An uncompressed tar layer. */
    public static Layer tar(byte[] tar) {
        return new Layer(MediaTypes.OCI_LAYER, tar, Digest.sha256(tar));
    }

    /** A gzip-compressed tar layer; {@code uncompressedTar} gives its diff_id. */
    public static Layer tarGzip(byte[] gzip, byte[] uncompressedTar) {
        return new Layer(MediaTypes.OCI_LAYER_GZIP, gzip, Digest.sha256(uncompressedTar));
    }

    /** A layer with one file, gzip'd reproducibly. */
    public static Layer ofFile(String path, byte[] content) {
        TarArchive archive = new TarArchive().file(path, content);
        return tarGzip(archive.toStoredTarGzip(), archive.toTar());
    }

    /** The digest of the stored bytes. */
    public Digest digest() {
        return Digest.sha256(content);
    }

    public long size() {
        return content.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Layer other && mediaType.equals(other.mediaType) && diffId.equals(other.diffId)
                && Arrays.equals(content, other.content);
    }

    @Override
    public int hashCode() {
        return diffId.hashCode();
    }

    @Override
    public String toString() {
        return "Layer[" + mediaType + ", " + digest() + ", " + content.length + " bytes]";
    }
}
