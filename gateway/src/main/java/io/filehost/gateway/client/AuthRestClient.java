package io.filehost.gateway.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.filehost.common.internal.InternalHeaders;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * auth-service's internal endpoints (docs/internal-api.md). Answers are read as JSON trees so the gateway accepts ids
 * as strings or numbers alike. Package-private: only {@link AuthClient} calls it, adding timeout, retry and circuit
 * breaker.
 */
@RegisterRestClient(configKey = "auth-internal")
@Path("/internal")
interface AuthRestClient {

    @POST
    @Path("/introspect")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<JsonNode> introspect(@HeaderParam(InternalHeaders.TENANT_ID) String tenantId,
                             @HeaderParam(InternalHeaders.REQUEST_ID) String requestId,
                             @FormParam("access_token") String accessToken,
                             @FormParam("account_id") String accountId);

    @GET
    @Path("/tenants/resolve")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<JsonNode> resolveTenant(@QueryParam("host") String host);

    /**
     * 400/401 (token refused) and 404 (unknown host) are answers, not faults: they become exceptions the wrapper turns
     * back into values, so they never count against the circuit breaker. Everything else is a fault.
     */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        int status = response.getStatus();
        // 400: auth-service could not even read the token (control characters, ...): for the client that is a
        // refusal like any other, with auth-service's wording.
        if (status == 401 || status == 400) {
            return new AuthRefusedException(envelopeMessage(response));
        }
        if (status == 404) {
            return new AuthNotFoundException();
        }
        return new AuthServiceException("auth-service answered HTTP " + status);
    }

    private static String envelopeMessage(Response response) {
        try {
            JsonNode body = response.readEntity(JsonNode.class);
            JsonNode message = body == null ? null : body.get("response");
            return message == null || !message.isTextual() ? null : message.asText();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
