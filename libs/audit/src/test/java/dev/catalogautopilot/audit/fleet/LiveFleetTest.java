package dev.catalogautopilot.audit.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LiveFleetTest {

    @Test
    void readsEveryCellOfTheMatrixAndSkipsClustersWithoutCells() throws Exception {
        String matrix = """
                {"catalogs":["community","redhat"],"clusters":[
                 {"name":"west","labels":{"ring":"main"},"catalogs":{
                   "redhat":{"image":null,"digest":null,"state":"FAILED","since":null,"causedBy":"m2",
                             "rolloutId":"r2","updatedAt":"2026-05-01T08:01:00.5Z"},
                   "community":{"image":"m/c@sha256:1","digest":"sha256:1","state":"CURRENT",
                             "since":"2026-05-01T08:00:00.123Z","causedBy":"m1","rolloutId":"r1",
                             "updatedAt":1777622400.123}}},
                 {"name":"idle","labels":{},"catalogs":{}}]}
                """;

        assertThat(LiveFleet.parse(matrix)).containsExactly(
                new FleetCell("west", "community", "m/c@sha256:1", "sha256:1", "CURRENT",
                        Instant.parse("2026-05-01T08:00:00.123Z"), "m1", "r1", Instant.parse("2026-05-01T08:00:00.123Z")),
                new FleetCell("west", "redhat", null, null, "FAILED", null, "m2", "r2",
                        Instant.parse("2026-05-01T08:01:00.500Z")));
    }
}
