package dev.catalogautopilot.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One challenge of a {@code WWW-Authenticate} header, e.g. {@code Bearer realm="…",service="…",scope="…"}. */
public record AuthChallenge(String scheme, Map<String, String> parameters) {

    public AuthChallenge {
        scheme = scheme.toLowerCase(Locale.ROOT);
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** Whether this is a {@code Bearer} (token) challenge. */
    public boolean isBearer() {
        return scheme.equals("bearer");
    }

    /** Whether this is a {@code Basic} challenge. */
    public boolean isBasic() {
        return scheme.equals("basic");
    }

    /** A parameter by case-insensitive name, or null. */
    public String parameter(String name) {
        return parameters.get(name.toLowerCase(Locale.ROOT));
    }

    /** The token endpoint of a Bearer challenge. */
    public String realm() {
        return parameter("realm");
    }

    /** The {@code service} parameter to send to the token endpoint. */
    public String service() {
        return parameter("service");
    }

    /** The scope the registry asked for, or null. */
    public String scope() {
        return parameter("scope");
    }

    /**
     * Parses all challenges of a header value (RFC 7235 auth-params with quoted strings, several challenges).
     * Token68 credentials, which registries do not use, are skipped.
     */
    public static List<AuthChallenge> parse(String header) {
        List<AuthChallenge> challenges = new ArrayList<>();
        if (header == null) {
            return challenges;
        }
        Tokenizer in = new Tokenizer(header);
        while (true) {
            in.skip(" \t,=");
            if (in.atEnd()) {
                return challenges;
            }
            String scheme = in.token();
            if (scheme.isEmpty()) {
                in.pos++;
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            in.skip(" \t");
            while (in.atParameter()) {
                String name = in.token();
                in.skip(" \t");
                in.pos++; // '='
                in.skip(" \t");
                String value = in.peek() == '"' ? in.quoted() : in.token();
                params.put(name.toLowerCase(Locale.ROOT), value);
                in.skip(" \t");
                if (!in.consume(',')) {
                    break;
                }
                in.skip(" \t,");
            }
            challenges.add(new AuthChallenge(scheme, params));
        }
    }

    @Override
    public String toString() {
        return "AuthChallenge[" + scheme + " " + parameters + "]";
    }

    private static final class Tokenizer {
        private final String s;
        private int pos;

        Tokenizer(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        char peek() {
            return atEnd() ? '\0' : s.charAt(pos);
        }

        boolean consume(char c) {
            if (peek() == c && !atEnd()) {
                pos++;
                return true;
            }
            return false;
        }

        void skip(String chars) {
            while (!atEnd() && chars.indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
        }

        String token() {
            int start = pos;
            while (!atEnd() && isTokenChar(s.charAt(pos))) {
                pos++;
            }
            return s.substring(start, pos);
        }

        /** Whether a {@code name=} follows, rather than the next challenge's scheme. */
        boolean atParameter() {
            int mark = pos;
            String name = token();
            skip(" \t");
            boolean result = !name.isEmpty() && peek() == '=';
            pos = mark;
            return result;
        }

        String quoted() {
            StringBuilder out = new StringBuilder();
            pos++;
            while (!atEnd()) {
                char c = s.charAt(pos++);
                if (c == '\\' && !atEnd()) {
                    out.append(s.charAt(pos++));
                } else if (c == '"') {
                    return out.toString();
                } else {
                    out.append(c);
                }
            }
            throw new IllegalArgumentException("Unterminated quoted string in WWW-Authenticate header");
        }

        private static boolean isTokenChar(char c) {
            // RFC 7230 tchar, plus '/' and ':' so that unquoted URLs and scopes survive.
            return c > 32 && c < 127 && "()<>@,;\\\"[]?={}".indexOf(c) < 0;
        }
    }
}
