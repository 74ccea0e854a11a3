package dev.catalogautopilot.registry;

import java.util.Arrays;
import java.util.Objects;

/** A manifest exactly as the registry stored it: its bytes are never re-serialised, so its digest survives copies. */
public record Manifest(String mediaType, Digest digest, byte[] bytes) {

    public Manifest {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(bytes, "bytes");
        bytes = bytes.clone();
    }

    /** A manifest for {@code bytes}, digest computed. */
    public static Manifest of(String mediaType, byte[] bytes) {
        return new Manifest(mediaType, Digest.sha256(bytes), bytes);
    }

    /** A copy of the raw bytes. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Size of the raw bytes. */
    public int size() {
        return bytes.length;
    }

    /** Whether this is a multi-platform index. */
    public boolean isIndex() {
        return MediaTypes.isIndex(mediaType);
    }

    /** Its descriptor, for referencing it from an index. */
    public Descriptor descriptor() {
        return new Descriptor(mediaType, digest, bytes.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Manifest other && mediaType.equals(other.mediaType) && digest.equals(other.digest)
                && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return digest.hashCode();
    }

    @Override
    public String toString() {
        return "Manifest[" + mediaType + ", " + digest + ", " + bytes.length + " bytes]";
    }
}
