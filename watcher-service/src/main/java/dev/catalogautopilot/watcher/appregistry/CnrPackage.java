package dev.catalogautopilot.watcher.appregistry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One entry of the CNR package listing; {@code default} is the latest release. */
@JsonIgnoreProperties(ignoreUnknown = true)
record CnrPackage(String name, String namespace, @JsonProperty("default") String defaultRelease,
        List<String> releases) {
}
