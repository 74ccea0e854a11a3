package dev.catalogautopilot.builder.input;

/**
 * Upstream content the builder refuses to use. {@link Kind#isUnsafe()} kinds fail the whole build (nothing is
 * pushed); the others are problems of one package, left out or failing the build as the validation policy says.
 */
public class BadInputException extends RuntimeException {

    /** What is wrong with the content. */
    public enum Kind {
        /** A tar entry or link leaves the archive root, or has an unsupported type. */
        PATH_ESCAPE(true),
        /** Too many YAML aliases: an alias ("billion laughs") bomb. */
        ALIAS_BOMB(true),
        /** A document, archive or entry count over its limit. */
        TOO_LARGE(true),
        /** Not a gzip'd tar, or its digest does not match. */
        CORRUPT_ARCHIVE(true),
        /** Not parseable YAML or JSON. */
        INVALID_YAML(false),
        /** Parseable, but not a valid package: missing names, missing currentCSV, broken replaces chain. */
        INVALID_PACKAGE(false);

        private final boolean unsafe;

        Kind(boolean unsafe) {
            this.unsafe = unsafe;
        }

        /** Whether this kind fails the whole build regardless of the validation policy. */
        public boolean isUnsafe() {
            return unsafe;
        }
    }

    private final Kind kind;

    public BadInputException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The same problem, with where it was found in front of the message. */
    public BadInputException in(String where) {
        return new BadInputException(kind, where + ": " + getMessage());
    }
}
