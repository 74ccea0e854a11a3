package dev.catalogautopilot.watcher.appregistry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The CNR answer for one release: where its archive is and what it weighs. */
@JsonIgnoreProperties(ignoreUnknown = true)
record CnrRelease(String release, Content content) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Content(String digest, String mediaType, Long size) {
    }
}
