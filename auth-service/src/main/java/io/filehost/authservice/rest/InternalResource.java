package io.filehost.authservice.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.filehost.authservice.service.InternalJwtIssuer;
import io.filehost.authservice.service.Introspection;
import io.filehost.authservice.service.TenantService;
import io.filehost.authservice.service.TenantView;
import io.filehost.authservice.service.TokenExchange;
import io.filehost.authservice.service.TokenService;
import io.filehost.common.api.ApiException;
import io.filehost.common.api.ApiMessages;
import io.filehost.common.api.ApiParams;
import io.filehost.common.api.Envelope;
import io.filehost.common.internal.InternalHeaders;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/**
 * The gateway's side door (docs/internal-api.md): introspection, tenant resolution, the JWT key set, and
 * file-service's token exchange. Never routed from outside; it grants nothing a caller does not already hold
 * (introspection needs the access token itself, the exchange a service key and a JWT signed for that account).
 */
@Path("/internal")
public class InternalResource {

    @Inject
    TokenService tokens;

    @Inject
    TenantService tenants;

    @Inject
    InternalJwtIssuer jwtIssuer;

    @Inject
    TokenExchange tokenExchange;

    @POST
    @Path("introspect")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode introspect(MultivaluedMap<String, String> form,
                                 @HeaderParam(InternalHeaders.TENANT_ID) String tenantId) {
        ApiParams params = ApiParams.of(form);
        String accessToken = params.required("access_token");
        String accountId = params.required("account_id");
        Introspection result = tokens.introspect(accessToken, ApiParams.parseId(accountId), ApiParams.parseId(tenantId))
                .orElseThrow(() -> ApiException.unauthorized(ApiMessages.INVALID_TOKEN));
        ObjectNode body = Envelope.object();
        body.put("jwt", result.jwt());
        body.put("expiresAt", result.expiresAtEpochSeconds());
        body.put("accountId", Long.toString(result.accountId()));
        body.put("tenantId", Long.toString(result.tenantId()));
        body.put("tokenHash", result.tokenHash());
        return body;
    }

    /**
     * file-service's fresh JWT after a long transfer ({@link TokenExchange}): its service key in
     * {@code X-Service-Key}, the request's (possibly expired) internal JWT as {@code subject_token}.
     */
    @POST
    @Path("token-exchange")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode exchange(MultivaluedMap<String, String> form,
                               @HeaderParam(InternalHeaders.SERVICE_KEY) String serviceKey) {
        InternalJwtIssuer.SignedJwt jwt = tokenExchange.exchange(serviceKey, form.getFirst("subject_token"));
        ObjectNode body = Envelope.object();
        body.put("jwt", jwt.token());
        body.put("expiresAt", jwt.expiresAtEpochSeconds());
        return body;
    }

    @GET
    @Path("tenants/resolve")
    @Produces(MediaType.APPLICATION_JSON)
    public Response resolve(@QueryParam("host") String host) {
        return tenants.resolve(host)
                .map(tenant -> Response.ok(tenantJson(tenant)).build())
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND)
                        .entity(Map.of("error", "unknown host")).type(MediaType.APPLICATION_JSON).build());
    }

    @GET
    @Path("jwks")
    @Produces(MediaType.APPLICATION_JSON)
    public Response jwks() {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(300);
        return Response.ok(jwtIssuer.jwks()).cacheControl(cache).build();
    }

    private static ObjectNode tenantJson(TenantView tenant) {
        ObjectNode body = Envelope.object();
        body.put("tenantId", Long.toString(tenant.id()));
        body.put("name", tenant.name());
        body.put("publicBaseUrl", tenant.publicBaseUrl());
        body.put("strictHttp", tenant.strictHttp());
        body.put("timeZone", tenant.timeZone());
        return body;
    }
}
