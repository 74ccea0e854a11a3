package dev.catalogautopilot.builder.source;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;

/** The parts of the Quay App Registry (CNR) API the builder uses, relative to its base URL. */
@Path("/api/v1")
public interface AppRegistryApi {

    @POST
    @Path("/users/login")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    InputStream login(String body);

    @GET
    @Path("/packages/{namespace}/{package}/blobs/sha256/{digest}")
    @Produces(MediaType.WILDCARD)
    InputStream blob(@PathParam("namespace") String namespace, @PathParam("package") String pkg,
            @PathParam("digest") String digest, @HeaderParam("Authorization") String token);
}
