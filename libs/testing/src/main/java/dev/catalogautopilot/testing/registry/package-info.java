/**
 * Real registries for tests: {@link dev.catalogautopilot.testing.registry.LocalRegistry} runs Debian's
 * {@code docker-registry} on a loopback port; {@link dev.catalogautopilot.testing.registry.ProtectedRegistry}
 * puts Bearer or Basic authentication, fault injection and redirects in front of one.
 */
package dev.catalogautopilot.testing.registry;
