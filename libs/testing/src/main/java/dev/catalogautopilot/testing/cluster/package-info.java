/**
 * Simulated OpenShift clusters (ARCHITECTURE.md §4): each {@link dev.catalogautopilot.testing.cluster.SimulatedCluster}
 * is a fabric8 {@code KubernetesMockServer} in CRUD mode with a kubeconfig file pointing at it and a
 * {@link dev.catalogautopilot.testing.cluster.SimulatedOlm} that reports CatalogSource health the way OLM does;
 * {@link dev.catalogautopilot.testing.cluster.SimulatedFleet} starts many at once.
 */
package dev.catalogautopilot.testing.cluster;
