package dev.catalogautopilot.rollout.fleet;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes-style label selector over cluster labels: comma-separated requirements, all of which must hold.
 * {@code key=value} (or {@code ==}), {@code key!=value}, {@code key in (a,b)}, {@code key notin (a,b)},
 * {@code key} (exists) and {@code !key} (does not exist). The empty selector matches every cluster.
 */
public record LabelSelector(String expression, List<Requirement> requirements) {

    private static final Pattern SET = Pattern.compile("([^\\s!=(),]+)\\s+(in|notin)\\s*\\(([^)]*)\\)");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/-]*[A-Za-z0-9])?");

    /** Selects every cluster. */
    public static final LabelSelector EVERYTHING = new LabelSelector("", List.of());

    public LabelSelector {
        Objects.requireNonNull(expression, "expression");
        requirements = List.copyOf(requirements);
    }

    /** One requirement on one label. */
    public record Requirement(String key, Operator operator, Set<String> values) {
        public Requirement {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(operator, "operator");
            values = Set.copyOf(values);
        }

        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case IN -> value != null && values.contains(value);
                case NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case DOES_NOT_EXIST -> value == null;
            };
        }
    }

    /** How a requirement tests a label. */
    public enum Operator {
        IN, NOT_IN, EXISTS, DOES_NOT_EXIST
    }

    /** Parses a selector; throws {@link IllegalArgumentException} naming the requirement it cannot read. */
    public static LabelSelector parse(String expression) {
        String text = expression == null ? "" : expression.strip();
        if (text.isEmpty()) {
            return EVERYTHING;
        }
        List<Requirement> requirements = new ArrayList<>();
        for (String part : splitOutsideParentheses(text)) {
            requirements.add(requirement(part.strip(), expression));
        }
        return new LabelSelector(text, requirements);
    }

    public boolean matches(Map<String, String> labels) {
        return requirements.stream().allMatch(r -> r.matches(labels));
    }

    @Override
    public String toString() {
        return expression;
    }

    private static Requirement requirement(String part, String expression) {
        Matcher set = SET.matcher(part);
        if (set.matches()) {
            Set<String> values = new LinkedHashSet<>();
            for (String value : set.group(3).split(",")) {
                if (!value.isBlank()) {
                    values.add(value.strip());
                }
            }
            Operator operator = set.group(2).equals("in") ? Operator.IN : Operator.NOT_IN;
            return new Requirement(key(set.group(1), expression), operator, values);
        }
        int notEquals = part.indexOf("!=");
        if (notEquals > 0) {
            return new Requirement(key(part.substring(0, notEquals), expression), Operator.NOT_IN,
                    Set.of(part.substring(notEquals + 2).strip()));
        }
        int equals = part.indexOf('=');
        if (equals > 0) {
            int valueStart = part.startsWith("==", equals) ? equals + 2 : equals + 1;
            return new Requirement(key(part.substring(0, equals), expression), Operator.IN,
                    Set.of(part.substring(valueStart).strip()));
        }
        if (part.startsWith("!")) {
            return new Requirement(key(part.substring(1), expression), Operator.DOES_NOT_EXIST, Set.of());
        }
        return new Requirement(key(part, expression), Operator.EXISTS, Set.of());
    }

    private static String key(String candidate, String expression) {
        String key = candidate.strip();
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("label selector '" + expression + "': '" + key + "' is not a label key");
        }
        return key;
    }

    private static List<String> splitOutsideParentheses(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }
}
