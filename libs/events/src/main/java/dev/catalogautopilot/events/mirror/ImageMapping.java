package dev.catalogautopilot.events.mirror;

import java.util.Objects;

/**
 * One line of {@code mapping.txt}: where a source image was mirrored to.
 *
 * @param source source reference
 * @param target mirror reference
 */
public record ImageMapping(String source, String target) {

    public ImageMapping {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
    }

    /** The {@code mapping.txt} form, {@code source=target}. */
    public String line() {
        return source + "=" + target;
    }

    /** Reads a {@code source=target} line. */
    public static ImageMapping parse(String line) {
        int equals = line.indexOf('=');
        if (equals <= 0 || equals == line.length() - 1) {
            throw new IllegalArgumentException("not a source=target mapping line: '" + line + "'");
        }
        return new ImageMapping(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
    }
}
