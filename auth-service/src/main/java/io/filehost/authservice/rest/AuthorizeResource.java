package io.filehost.authservice.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.filehost.authservice.service.AuthorizationService;
import io.filehost.authservice.service.IssuedToken;
import io.filehost.authservice.service.TokenService;
import io.filehost.common.api.ApiException;
import io.filehost.common.api.ApiMessages;
import io.filehost.common.api.ApiParams;
import io.filehost.common.api.Envelope;
import io.filehost.common.internal.InternalHeaders;
import io.filehost.common.rest.ApiResponses;
import io.filehost.common.rest.Caller;
import io.quarkus.security.Authenticated;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import java.util.regex.Pattern;

/** /authorize and /disable_access_token (behaviour.md §3), as forwarded by the gateway. */
@Path("/api/v2")
public class AuthorizeResource {
    private static final Pattern API_KEY = Pattern.compile("[A-Za-z0-9]{64}");

    @Inject
    AuthorizationService authorization;

    @Inject
    TokenService tokens;

    @Inject
    Caller caller;

    @POST
    @Path("authorize")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response authorize(MultivaluedMap<String, String> form, @Context HttpServerRequest request) {
        String key1 = apiKey(form, "key1", ApiMessages.KEY1_INVALID);
        String key2 = apiKey(form, "key2", ApiMessages.KEY2_INVALID);
        Long tenantId = ApiParams.parseId(request.getHeader(InternalHeaders.TENANT_ID));
        IssuedToken issued = authorization.authorize(tenantId, key1, key2, caller.clientIp())
                .orElseThrow(() -> ApiException.unauthorized(ApiMessages.AUTH_FAILED));
        ObjectNode data = Envelope.object();
        data.put("access_token", issued.accessToken());
        data.put("account_id", Long.toString(issued.accountId()));
        return ApiResponses.ok(Envelope.success().data(data).build(Caller.zoneOf(request)));
    }

    @POST
    @Path("disable_access_token")
    @Authenticated
    public Response disableAccessToken() {
        String tokenHash = caller.tokenHash();
        if (tokenHash == null || tokenHash.isBlank()) {
            throw ApiException.unauthorized(ApiMessages.INVALID_TOKEN);
        }
        tokens.disable(tokenHash, caller.accountId(), caller.tenantId());
        return ApiResponses.ok(Envelope.success().response(ApiMessages.TOKEN_REMOVED).build(caller.zone()));
    }

    /** Exactly 64 of [A-Za-z0-9] after trimming; anything else (missing, shorter, longer, other characters) is 400. */
    private static String apiKey(MultivaluedMap<String, String> form, String name, String message) {
        String value = form == null ? null : form.getFirst(name);
        if (value == null) {
            throw ApiException.badRequest(message);
        }
        value = value.strip();
        if (!API_KEY.matcher(value).matches()) {
            throw ApiException.badRequest(message);
        }
        return value;
    }
}
