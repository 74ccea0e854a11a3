package dev.catalogautopilot.builder.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.catalogautopilot.builder.fbc.Bundle;
import dev.catalogautopilot.builder.fbc.CatalogPackage;
import dev.catalogautopilot.builder.fbc.Channel;
import dev.catalogautopilot.builder.fbc.ChannelEntry;
import dev.catalogautopilot.builder.fbc.Property;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogValidatorTest {

    @Test
    void aValidPackageHasNoProblems() {
        assertThat(CatalogValidator.problems(pkg("stable", List.of(channel("stable",
                entry("p.v1", null), entry("p.v2", "p.v1"))), bundle("p.v1", "1.0.0"), bundle("p.v2", "2.0.0"))))
                .isEmpty();
    }

    @Test
    void findsEveryRuleOpmEnforces() {
        List<String> problems = CatalogValidator.problems(pkg("missing", List.of(
                        channel("two-heads", entry("p.v1", null), entry("p.v2", null)),
                        channel("cycle", entry("p.v1", "p.v2"), entry("p.v2", "p.v1")),
                        channel("ghost", entry("p.v9", null))),
                bundle("p.v1", "1.0.0"), bundle("p.v2", "two"), bundle("p.v2", "2.0.0"), bundle("p.v3", "3.0.0")));
        assertThat(problems).anyMatch(p -> p.equals("default channel missing does not exist"))
                .anyMatch(p -> p.startsWith("channel two-heads has 2 heads"))
                .anyMatch(p -> p.startsWith("channel cycle has no head"))
                .anyMatch(p -> p.startsWith("channel cycle has a replaces cycle"))
                .anyMatch(p -> p.equals("channel ghost: entry p.v9 names no bundle of the package"))
                .anyMatch(p -> p.equals("bundle name p.v2 is used more than once"))
                .anyMatch(p -> p.equals("bundle p.v2 has version two, which is not semver"))
                .anyMatch(p -> p.equals("bundle p.v3 is in no channel"));
    }

    private static CatalogPackage pkg(String defaultChannel, List<Channel> channels, Bundle... bundles) {
        return new CatalogPackage("p", defaultChannel, null, null, null, channels, List.of(bundles), List.of());
    }

    private static Channel channel(String name, ChannelEntry... entries) {
        return new Channel(name, "p", List.of(entries), null);
    }

    private static ChannelEntry entry(String name, String replaces) {
        return new ChannelEntry(name, replaces, List.of(), null);
    }

    private static Bundle bundle(String name, String version) {
        var value = JsonNodeFactory.instance.objectNode().put("packageName", "p").put("version", version);
        return new Bundle(name, "p", null, List.of(new Property(Property.PACKAGE, value)), List.of());
    }
}
