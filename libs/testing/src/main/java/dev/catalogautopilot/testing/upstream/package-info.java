/**
 * The simulated upstream of ARCHITECTURE.md §4: synthetic, deterministic images for every image the fixture
 * CSVs name ({@link dev.catalogautopilot.testing.upstream.UpstreamSimulator}), and pushers for the images other
 * tests need: opm-like base images and catalog index images ({@link dev.catalogautopilot.testing.upstream.ImagePusher}).
 */
package dev.catalogautopilot.testing.upstream;
