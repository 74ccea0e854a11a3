package dev.catalogautopilot.builder.fbc;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A semantic version (semver 2.0.0), ordered by precedence; build metadata is kept but does not order. */
public record Semver(BigInteger major, BigInteger minor, BigInteger patch, List<String> preRelease, String build)
        implements Comparable<Semver> {

    private static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
                    + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                    + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");
    private static final Pattern COMPARATOR = Pattern.compile("(>=|<=|!=|==|=|>|<)?\\s*v?(\\S+)");

    /** Parses a strict semantic version. */
    public static Semver parse(String text) {
        return tryParse(text).orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not a semantic version"));
    }

    public static Optional<Semver> tryParse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = SEMVER.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        List<String> pre = m.group(4) == null ? List.of() : List.of(m.group(4).split("\\."));
        return Optional.of(new Semver(new BigInteger(m.group(1)), new BigInteger(m.group(2)),
                new BigInteger(m.group(3)), pre, m.group(5)));
    }

    /**
     * A version range as OLM writes them ({@code skipRange}, {@code olm.package.required}): comparators joined by
     * spaces (all must hold) and alternatives joined by {@code ||}. Partial versions such as {@code 1.2} mean
     * {@code 1.2.0}.
     */
    public static Predicate<Semver> range(String text) {
        Predicate<Semver> any = null;
        for (String alternative : text.split("\\|\\|")) {
            Predicate<Semver> all = v -> true;
            String rest = alternative.trim().replaceAll("(>=|<=|!=|==|=|>|<)\\s+", "$1");
            if (rest.isEmpty()) {
                throw new IllegalArgumentException("empty version range in '" + text + "'");
            }
            for (String comparator : rest.split("\\s+")) {
                all = all.and(comparator(comparator, text));
            }
            any = any == null ? all : any.or(all);
        }
        return any;
    }

    private static Predicate<Semver> comparator(String text, String range) {
        Matcher m = COMPARATOR.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid comparator '" + text + "' in range '" + range + "'");
        }
        String version = m.group(2);
        long dots = version.chars().filter(c -> c == '.').count();
        String full = dots == 0 && version.matches("\\d+") ? version + ".0.0"
                : dots == 1 && version.matches("\\d+\\.\\d+") ? version + ".0" : version;
        Semver bound = tryParse(full).orElseThrow(() -> new IllegalArgumentException(
                "invalid version '" + version + "' in range '" + range + "'"));
        String op = m.group(1) == null ? "=" : m.group(1);
        return switch (op) {
            case ">=" -> v -> v.compareTo(bound) >= 0;
            case "<=" -> v -> v.compareTo(bound) <= 0;
            case ">" -> v -> v.compareTo(bound) > 0;
            case "<" -> v -> v.compareTo(bound) < 0;
            case "!=" -> v -> v.compareTo(bound) != 0;
            default -> v -> v.compareTo(bound) == 0;
        };
    }

    @Override
    public int compareTo(Semver other) {
        int c = major.compareTo(other.major);
        if (c == 0) {
            c = minor.compareTo(other.minor);
        }
        if (c == 0) {
            c = patch.compareTo(other.patch);
        }
        if (c != 0) {
            return c;
        }
        if (preRelease.isEmpty() || other.preRelease.isEmpty()) {
            return Boolean.compare(preRelease.isEmpty(), other.preRelease.isEmpty());
        }
        for (int i = 0; i < Math.min(preRelease.size(), other.preRelease.size()); i++) {
            c = comparePart(preRelease.get(i), other.preRelease.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(preRelease.size(), other.preRelease.size());
    }

    private static int comparePart(String a, String b) {
        boolean numericA = a.chars().allMatch(Character::isDigit);
        boolean numericB = b.chars().allMatch(Character::isDigit);
        if (numericA && numericB) {
            return new BigInteger(a).compareTo(new BigInteger(b));
        }
        if (numericA != numericB) {
            return numericA ? -1 : 1;
        }
        return a.compareTo(b);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (preRelease.isEmpty() ? "" : "-" + String.join(".", preRelease))
                + (build == null ? "" : "+" + build);
    }
}
