package dev.catalogautopilot.mirror.copy;

/** Told of every blob an image copy placed in the mirror (metrics, progress); called from blob threads. */
@FunctionalInterface
public interface BlobListener {

    BlobListener NONE = (how, bytes) -> {
    };

    /** A blob is in the target: {@code bytes} is its size when {@code how} is COPIED, else 0. */
    void placed(BlobPlacement how, long bytes);
}
