/**
 * A focused OCI distribution-spec client on the JDK HttpClient.
 *
 * <pre>{@code
 * RegistryClient client = RegistryClient.builder()
 *         .credentials(CredentialStore.fromDefaultLocations())
 *         .insecureRegistries(List.of("127.0.0.1:5000"))   // plain HTTP; TLS is verified everywhere else
 *         .build();                                          // thread-safe: build once, share
 * Descriptor index = client.resolve(ImageReference.parse("registry.redhat.io/redhat/redhat-operator-index:v4.16"));
 * Manifest manifest = client.getManifest(image.withDigest(index.digest()));   // exact bytes, verified
 * try (InputStream blob = client.openBlob(repo, digest)) { ... }             // verified at EOF
 * if (!client.hasBlob(target, digest) && !client.mountBlob(target, digest, source)) {
 *     client.pushBlob(target, digest, size, () -> client.openBlob(source, digest));
 * }
 * client.copyBlob(source, target, digest, size);   // registry to registry: streamed, verified once, no temp files
 * client.putManifest(target.repositoryRef(), "v1", manifest.bytes(), manifest.mediaType());
 * }</pre>
 *
 * Digests are checked for syntax before they reach a URL; manifests are never re-serialised; credentials and
 * tokens go only to the registry's own origin or its token realm (plain-HTTP realms only on the insecure
 * registry's own host) and never appear in messages.
 */
package dev.catalogautopilot.registry;
