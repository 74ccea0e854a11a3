package dev.catalogautopilot.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FixturesTest {

    @Test
    void theSurefirePropertyPointsAtTheSharedFixtures() {
        assertThat(Fixtures.operators()).isDirectory();
        assertThat(Fixtures.operators().resolve("etcd/etcd.package.yaml")).isRegularFile();
        assertThat(Fixtures.bundles()).isDirectory();
        assertThat(Fixtures.fbc()).isDirectory();
        assertThat(Fixtures.invalid()).isDirectory();
        assertThat(Fixtures.root()).isEqualTo(Fixtures.operators().getParent());
    }

    @Test
    void propertyWinsOverEnvironmentWhichWinsOverTheWalk(@TempDir Path temp) throws IOException {
        Path fromProperty = Files.createDirectories(temp.resolve("a"));
        Path fromEnvironment = Files.createDirectories(temp.resolve("b"));

        assertThat(Fixtures.locate(fromProperty.toString(), fromEnvironment.toString(), temp)).isEqualTo(fromProperty);
        assertThat(Fixtures.locate(null, fromEnvironment.toString(), temp)).isEqualTo(fromEnvironment);
        assertThat(Fixtures.locate(" ", fromEnvironment.toString(), temp)).isEqualTo(fromEnvironment);
    }

    @Test
    void walksUpFromTheWorkingDirectoryToASiblingSharedFixtures(@TempDir Path temp) throws IOException {
        Path fixtures = Files.createDirectories(temp.resolve("shared/fixtures/operators")).getParent();
        Path module = Files.createDirectories(temp.resolve("main/libs/testing"));

        assertThat(Fixtures.locate(null, null, module)).isEqualTo(fixtures);
    }

    @Test
    void explainsWhenNothingIsFound(@TempDir Path temp) {
        assertThatThrownBy(() -> Fixtures.locate(null, null, temp))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(Fixtures.PROPERTY).hasMessageContaining(Fixtures.ENVIRONMENT);
        assertThatThrownBy(() -> Fixtures.locate(temp.resolve("missing").toString(), null, temp))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a directory");
    }
}
