package dev.catalogautopilot.registry;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuthChallengeTest {

    @Test
    void parsesDockerHubBearerChallenge() {
        List<AuthChallenge> challenges = AuthChallenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                        + "scope=\"repository:library/busybox:pull\"");

        assertThat(challenges).hasSize(1);
        AuthChallenge c = challenges.get(0);
        assertThat(c.isBearer()).isTrue();
        assertThat(c.realm()).isEqualTo("https://auth.docker.io/token");
        assertThat(c.service()).isEqualTo("registry.docker.io");
        assertThat(c.scope()).isEqualTo("repository:library/busybox:pull");
    }

    @Test
    void parsesCommasInsideQuotesEscapesAndUnquotedValues() {
        AuthChallenge c = AuthChallenge.parse("bearer  realm = https://quay.io/v2/auth , service=quay.io,"
                + " scope=\"repository:a/b:pull,push repository:c/d:pull\", error=\"insufficient_scope\","
                + " note=\"say \\\"hi\\\"\"").get(0);

        assertThat(c.scheme()).isEqualTo("bearer");
        assertThat(c.parameters()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "realm", "https://quay.io/v2/auth",
                "service", "quay.io",
                "scope", "repository:a/b:pull,push repository:c/d:pull",
                "error", "insufficient_scope",
                "note", "say \"hi\""));
    }

    @Test
    void parsesSeveralChallenges() {
        List<AuthChallenge> challenges = AuthChallenge.parse(
                "Basic realm=\"Registry Realm\", Bearer realm=\"https://r.example/token\",service=\"r\", Negotiate");

        assertThat(challenges).extracting(AuthChallenge::scheme).containsExactly("basic", "bearer", "negotiate");
        assertThat(challenges.get(0).isBasic()).isTrue();
        assertThat(challenges.get(0).parameter("REALM")).isEqualTo("Registry Realm");
        assertThat(challenges.get(1).realm()).isEqualTo("https://r.example/token");
        assertThat(challenges.get(2).parameters()).isEmpty();
    }

    @Test
    void toleratesEmptyAndOddHeaders() {
        assertThat(AuthChallenge.parse(null)).isEmpty();
        assertThat(AuthChallenge.parse("")).isEmpty();
        assertThat(AuthChallenge.parse("Basic")).singleElement().satisfies(c -> assertThat(c.isBasic()).isTrue());
        assertThat(AuthChallenge.parse("Negotiate abc123==")).first()
                .satisfies(c -> assertThat(c.scheme()).isEqualTo("negotiate"));
    }
}
