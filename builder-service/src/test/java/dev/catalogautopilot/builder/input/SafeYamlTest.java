package dev.catalogautopilot.builder.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catalogautopilot.builder.input.BadInputException.Kind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SafeYamlTest {

    private final SafeYaml yaml = new SafeYaml(new InputLimits(1 << 20, 4096, 100, 50, 20));

    @Test
    void readsEveryDocumentAndKeepsTimestampsAsWritten() {
        List<JsonNode> docs = yaml.yaml(bytes("a: 1\ncreatedAt: 2019-08-22T12:00:00Z\n---\n---\nb: [x, y]\n"), "f.yaml");
        assertThat(docs).hasSize(2);
        assertThat(docs.get(0).path("createdAt").isTextual()).isTrue();
        assertThat(docs.get(0).path("createdAt").asText()).isEqualTo("2019-08-22T12:00:00Z");
        assertThat(docs.get(0).path("a").asInt()).isEqualTo(1);
        assertThat(docs.get(1).path("b").get(1).asText()).isEqualTo("y");
    }

    @Test
    void refusesAnAliasBomb() {
        StringBuilder bomb = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (char level = 'b'; level <= 'i'; level++) {
            bomb.append(level).append(": &").append(level).append(" [");
            for (int i = 0; i < 9; i++) {
                bomb.append(i == 0 ? "" : ", ").append('*').append((char) (level - 1));
            }
            bomb.append("]\n");
        }
        SafeYaml roomy = new SafeYaml(new InputLimits(1 << 20, 1 << 20, 100, 50, 20));
        assertThatThrownBy(() -> roomy.yaml(bytes(bomb.toString()), "bomb.yaml"))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.kind()).isEqualTo(Kind.ALIAS_BOMB))
                .hasMessageContaining("bomb.yaml").hasMessageContaining("aliases");
    }

    @Test
    void refusesACollectionAliasBombThatStaysUnderTheAliasLimit() {
        // 6 levels of 8 aliases: 48 aliases, under the limit of 50, expanding to 9 * 8^5 = 294,912 scalars.
        StringBuilder bomb = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (char level = 'b'; level <= 'g'; level++) {
            bomb.append(level).append(": &").append(level).append(" [");
            for (int i = 0; i < 8; i++) {
                bomb.append(i == 0 ? "" : ", ").append('*').append((char) (level - 1));
            }
            bomb.append("]\n");
        }
        SafeYaml roomy = new SafeYaml(new InputLimits(1 << 20, 1 << 20, 100, 50, 20));
        assertThatThrownBy(() -> roomy.yaml(bytes(bomb.toString()), "quiet-bomb.yaml"))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.kind()).isEqualTo(Kind.ALIAS_BOMB))
                .hasMessageContaining("quiet-bomb.yaml expands through YAML aliases to more than 1048576 bytes");
    }

    @Test
    void countsScalarAliasesTowardTheExpandedSize() {
        // One 1 KB scalar named 2,000 times: 2 MB expanded from a 9 KB file, and no collection alias at all.
        String bomb = "big: &big \"" + "x".repeat(1000) + "\"\ncopies: [" + "*big, ".repeat(1999) + "*big]\n";
        SafeYaml roomy = new SafeYaml(new InputLimits(1 << 20, 1 << 20, 100, 50, 20));
        assertThatThrownBy(() -> roomy.yaml(bytes(bomb), "scalars.yaml"))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.kind()).isEqualTo(Kind.ALIAS_BOMB))
                .hasMessageContaining("scalars.yaml expands through YAML aliases");
    }

    @Test
    void keepsAModestUseOfAliasesAndMergeKeys() {
        List<JsonNode> docs = yaml.yaml(bytes("base: &base {image: quay.io/x/y:1, pull: Always}\n"
                + "one: {<<: *base, name: one}\ntwo: *base\nlabel: &l app\nagain: *l\n"), "aliases.yaml");
        assertThat(docs.get(0).path("one").path("image").asText()).isEqualTo("quay.io/x/y:1");
        assertThat(docs.get(0).path("one").path("name").asText()).isEqualTo("one");
        assertThat(docs.get(0).path("two").path("pull").asText()).isEqualTo("Always");
        assertThat(docs.get(0).path("again").asText()).isEqualTo("app");
    }

    @Test
    void refusesACollectionThatContainsItself() {
        assertThatThrownBy(() -> yaml.yaml(bytes("a: &a [x, *a]\n"), "loop.yaml"))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.kind()).isEqualTo(Kind.ALIAS_BOMB))
                .hasMessageContaining("loop.yaml");
    }

    @Test
    void reportsInvalidYamlWithItsPosition() {
        assertThatThrownBy(() -> yaml.yaml(bytes("kind: [unclosed\n  - x: y\n"), "broken.yaml"))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_YAML))
                .hasMessageContaining("broken.yaml is not valid YAML at line");
    }

    @Test
    void refusesDocumentsOverTheLimitAndTooDeepNesting() {
        assertThatThrownBy(() -> yaml.yaml(bytes("a: \"" + "x".repeat(5000) + "\"\n"), "big.yaml"))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE))
                .hasMessageContaining("over the document limit of 4096 bytes");
        assertThatThrownBy(() -> yaml.yaml(bytes("a: " + "[".repeat(30) + "]".repeat(30) + "\n"), "deep.yaml"))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE));
    }

    @Test
    void readsConcatenatedJsonAndRejectsBrokenJson() {
        assertThat(yaml.json(bytes("{\"a\":1}\n{\"b\":2}"), "f.json")).hasSize(2);
        assertThatThrownBy(() -> yaml.json(bytes("{\"a\":"), "f.json"))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_YAML))
                .hasMessageContaining("f.json is not valid JSON");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
