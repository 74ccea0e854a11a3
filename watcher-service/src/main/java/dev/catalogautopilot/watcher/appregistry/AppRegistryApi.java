package dev.catalogautopilot.watcher.appregistry;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;

/**
 * The Quay App Registry (CNR) API, relative to its base URL (e.g. {@code https://quay.io/cnr}). Bodies are read
 * as streams so the caller can bound their size and report malformed JSON itself.
 */
@Path("/api/v1")
public interface AppRegistryApi {

    @POST
    @Path("/users/login")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    InputStream login(String body);

    @GET
    @Path("/packages")
    @Produces(MediaType.APPLICATION_JSON)
    InputStream listPackages(@QueryParam("namespace") String namespace, @QueryParam("media_type") String mediaType,
            @HeaderParam("Authorization") String token);

    @GET
    @Path("/packages/{namespace}/{package}/{release}/helm")
    @Produces(MediaType.APPLICATION_JSON)
    InputStream release(@PathParam("namespace") String namespace, @PathParam("package") String pkg,
            @PathParam("release") String release, @HeaderParam("Authorization") String token);

    @GET
    @Path("/packages/{namespace}/{package}/blobs/sha256/{digest}")
    @Produces(MediaType.WILDCARD)
    InputStream blob(@PathParam("namespace") String namespace, @PathParam("package") String pkg,
            @PathParam("digest") String digest, @HeaderParam("Authorization") String token);
}
