package dev.catalogautopilot.testing.upstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces whole image references in manifest text. A reference only matches as a complete token, so
 * {@code x/y:1.0} never rewrites part of {@code x/y:1.0-rc1} or of {@code docker.io/x/y:1.0}.
 */
final class ReferenceRewriter {

    /** Characters an image reference is made of; anything else ends a token. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@-]*");

    private final Map<String, String> replacements;

    ReferenceRewriter(Map<String, String> replacements) {
        this.replacements = Map.copyOf(replacements);
    }

    /** Rewrites {@code text}; returns it unchanged (the same instance) when nothing matched. */
    String rewrite(String text) {
        Matcher m = TOKEN.matcher(text);
        StringBuilder out = null;
        int copied = 0;
        while (m.find()) {
            String token = m.group();
            String original = token;
            String replacement = replacements.get(original);
            // Prose may end a reference with a full stop or a colon.
            while (replacement == null && (original.endsWith(".") || original.endsWith(":"))) {
                original = original.substring(0, original.length() - 1);
                replacement = replacements.get(original);
            }
            if (replacement == null) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 256);
            }
            out.append(text, copied, m.start()).append(replacement);
            copied = m.start() + original.length();
        }
        if (out == null) {
            return text;
        }
        return out.append(text, copied, text.length()).toString();
    }

    /** Whether {@code text} still contains any of the references as a whole token. */
    boolean matchesAny(String text) {
        return !rewrite(text).equals(text);
    }

    /** Rewrites every YAML and JSON file under {@code dir} in place; returns how many files changed. */
    int rewriteTree(Path dir) {
        int changed = 0;
        for (Path file : CsvImages.manifestFiles(dir)) {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                String rewritten = rewrite(text);
                if (rewritten != text) {
                    Files.writeString(file, rewritten, StandardCharsets.UTF_8);
                    changed++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot rewrite " + file, e);
            }
        }
        return changed;
    }
}
