package io.filehost.common.rest;

import io.filehost.common.api.ApiException;
import io.filehost.common.api.ApiMessages;
import io.filehost.common.failure.Failure;
import io.filehost.common.failure.FailureLog;
import io.filehost.common.internal.InternalHeaders;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every exception a service can raise becomes the API's error envelope. Client errors keep their strict status (the
 * gateway maps it for compatible tenants); anything unexpected is classified by {@link FailureLog}: a dependency that
 * is down is a 503 with {@code Retry-After} (one WARN line per outage window), a client that went away gets nothing
 * worth logging (DEBUG), and only a bug is answered 500 and logged at ERROR with its stack trace and the request id.
 * No stack trace or internal detail ever reaches a client.
 */
public class ApiExceptionMappers {
    @Inject
    FailureLog failures;

    @ServerExceptionMapper
    public Response apiException(ApiException e, HttpServerRequest request) {
        return ApiResponses.error(e.status(), e.getMessage(), Caller.zoneOf(request));
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e, HttpServerRequest request) {
        return ApiResponses.error(401, ApiMessages.INVALID_TOKEN, Caller.zoneOf(request));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return ApiResponses.error(403, "Access denied.", Caller.zoneOf(request));
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, HttpServerRequest request) {
        return ApiResponses.error(404, notFoundMessage(request.path()), Caller.zoneOf(request));
    }

    /** behaviour.md §1 names the endpoint segment ("No endpoint found for: xyz"); other paths get a plain message. */
    static String notFoundMessage(String path) {
        String prefix = "/api/v2/";
        if (path != null && path.regionMatches(true, 0, prefix, 0, prefix.length())) {
            String rest = path.substring(prefix.length());
            int slash = rest.indexOf('/');
            return ApiMessages.noEndpoint(slash < 0 ? rest : rest.substring(0, slash));
        }
        return "Not found.";
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, HttpServerRequest request) {
        return ApiResponses.error(405, ApiMessages.METHOD_NOT_ALLOWED, Caller.zoneOf(request));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, request);
        }
        String message = status == 415 ? "Unsupported request encoding." : "Bad request.";
        return ApiResponses.error(status, message, Caller.zoneOf(request));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        Failure kind = failures.report(e, request.method() + " " + request.path() + " (request id "
                + request.getHeader(InternalHeaders.REQUEST_ID) + ")");
        return switch (kind) {
            case Failure.Outage outage -> ApiResponses.error(503, ApiMessages.SERVICE_UNAVAILABLE, Caller.zoneOf(request));
            // Nobody reads this answer; it only has to be something other than an error of ours.
            case Failure.ClientGone gone -> ApiResponses.error(400, "The client closed the connection.",
                    Caller.zoneOf(request));
            case Failure.Bug bug -> ApiResponses.error(500, ApiMessages.INTERNAL_ERROR, Caller.zoneOf(request));
        };
    }
}
