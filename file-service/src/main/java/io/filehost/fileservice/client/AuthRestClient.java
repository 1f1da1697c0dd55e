package io.filehost.fileservice.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.filehost.common.internal.InternalHeaders;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * auth-service's token exchange (docs/internal-api.md). No header is propagated: this call carries file-service's own
 * credential, and the caller's (possibly expired) JWT only as the form's subject. Package-private: used only through
 * {@link AuthClient}, which adds the time limit, retries, circuit breaker and span.
 */
@RegisterRestClient(configKey = "auth-service")
@Path("/internal")
interface AuthRestClient {
    @POST
    @Path("token-exchange")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    JsonNode exchange(@HeaderParam(InternalHeaders.SERVICE_KEY) String serviceKey,
                      @HeaderParam(InternalHeaders.REQUEST_ID) String requestId,
                      @FormParam("subject_token") String subjectToken);
}
