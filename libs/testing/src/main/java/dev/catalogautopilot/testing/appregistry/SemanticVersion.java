package dev.catalogautopilot.testing.appregistry;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A semver 2.0 version, ordered by semver precedence (build metadata ignored). */
record SemanticVersion(long major, long minor, long patch, List<String> preRelease)
        implements Comparable<SemanticVersion> {

    private static final Pattern SEMVER = Pattern.compile(
            "v?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-([0-9A-Za-z.-]+))?(?:\\+[0-9A-Za-z.-]+)?");

    /** Orders version strings by semver precedence, unparsable ones first and among themselves by text. */
    static final Comparator<String> ORDER = (a, b) -> {
        Optional<SemanticVersion> va = parse(a);
        Optional<SemanticVersion> vb = parse(b);
        if (va.isPresent() && vb.isPresent()) {
            int byVersion = va.get().compareTo(vb.get());
            return byVersion != 0 ? byVersion : a.compareTo(b);
        }
        if (va.isPresent() != vb.isPresent()) {
            return va.isPresent() ? 1 : -1;
        }
        return a.compareTo(b);
    };

    static Optional<SemanticVersion> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = SEMVER.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        List<String> pre = m.group(4) == null ? List.of() : List.of(m.group(4).split("\\."));
        return Optional.of(new SemanticVersion(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3)), pre));
    }

    SemanticVersion nextPatch() {
        return new SemanticVersion(major, minor, patch + 1, List.of());
    }

    @Override
    public int compareTo(SemanticVersion other) {
        int c = Long.compare(major, other.major);
        if (c == 0) {
            c = Long.compare(minor, other.minor);
        }
        if (c == 0) {
            c = Long.compare(patch, other.patch);
        }
        return c != 0 ? c : comparePreRelease(preRelease, other.preRelease);
    }

    @Override
    public String toString() {
        String core = major + "." + minor + "." + patch;
        return preRelease.isEmpty() ? core : core + "-" + String.join(".", preRelease);
    }

    private static int comparePreRelease(List<String> a, List<String> b) {
        // A version without pre-release identifiers ranks above any pre-release of it.
        if (a.isEmpty() || b.isEmpty()) {
            return Boolean.compare(a.isEmpty(), b.isEmpty());
        }
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = compareIdentifier(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareIdentifier(String a, String b) {
        boolean numA = a.chars().allMatch(Character::isDigit);
        boolean numB = b.chars().allMatch(Character::isDigit);
        if (numA && numB) {
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
        if (numA != numB) {
            return numA ? -1 : 1;
        }
        return a.compareTo(b);
    }
}
