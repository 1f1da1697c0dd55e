package io.filehost.fileservice.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * folder-service's internal API (docs/internal-api.md); the caller's JWT and gateway headers are propagated, except an
 * {@code Authorization} the call sets itself (a fresh JWT after a long upload, see {@link PropagateUnlessSet}).
 * Package-private: used only through {@link FolderClient}, which adds the time limit, retries, circuit breaker and span.
 */
@RegisterRestClient(configKey = "folder-service")
@RegisterClientHeaders(PropagateUnlessSet.class)
@Path("/internal/folders")
interface FolderRestClient {
    /** {@code authorization}: null to propagate the request's own. */
    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    JsonNode folder(@PathParam("id") long id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);
}
