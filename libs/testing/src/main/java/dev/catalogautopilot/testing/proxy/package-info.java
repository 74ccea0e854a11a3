/**
 * Misbehaving intermediaries for fault tests: a registry proxy that corrupts blobs and answers 503/429 at random
 * ({@link dev.catalogautopilot.testing.proxy.RegistryProxy}), and a TCP proxy that cuts and restores the connection
 * to a database or broker ({@link dev.catalogautopilot.testing.proxy.TcpProxy}).
 */
package dev.catalogautopilot.testing.proxy;
