/**
 * A misbehaving registry in front of a real one: corrupted blobs and random 503/429 answers, for testing what
 * registry clients do when the upstream is not to be trusted
 * ({@link dev.catalogautopilot.testing.proxy.RegistryProxy}); and a TCP forwarder a test cuts and restores, to take
 * a server away from one service ({@link dev.catalogautopilot.testing.proxy.TcpProxy}).
 */
package dev.catalogautopilot.testing.proxy;
