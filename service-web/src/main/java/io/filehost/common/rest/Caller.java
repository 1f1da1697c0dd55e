package io.filehost.common.rest;

import io.filehost.common.api.ApiDates;
import io.filehost.common.api.ApiException;
import io.filehost.common.api.ApiMessages;
import io.filehost.common.internal.Account;
import io.filehost.common.internal.InternalClaims;
import io.filehost.common.internal.InternalHeaders;
import io.filehost.common.internal.PackageLimits;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.ZoneId;

/**
 * Who is calling, from the verified internal JWT (identity, tenant, package limits) and the gateway's headers
 * (presentation only: time zone, public base URL, client address). Resources pass what they need from here into the
 * service layer; nothing below the resource reads HTTP state.
 */
@RequestScoped
public class Caller {
    @Inject
    JsonWebToken jwt;

    @Inject
    HttpServerRequest request;

    /** The caller as the service layers take it (see {@link Account}). */
    public Account account() {
        return new Account(tenantId(), accountId(), limits(), publicBaseUrl(), clientIp(), strictHttp());
    }

    public long accountId() {
        String subject = jwt.getSubject();
        if (subject == null) {
            throw ApiException.unauthorized(ApiMessages.INVALID_TOKEN);
        }
        return Long.parseLong(subject);
    }

    public long tenantId() {
        Object claim = jwt.getClaim(InternalClaims.TENANT_ID);
        if (claim == null) {
            throw ApiException.unauthorized(ApiMessages.INVALID_TOKEN);
        }
        return Long.parseLong(claim.toString().replace("\"", ""));
    }

    public String tokenHash() {
        return jwt.getClaim(InternalClaims.TOKEN_HASH);
    }

    /** The internal JWT itself, for the token exchange after a long transfer (see file-service's FreshTokens). */
    public String rawToken() {
        return jwt.getRawToken();
    }

    /** The gateway's request id, for log lines that must be traceable to one request. */
    public String requestId() {
        return request.getHeader(InternalHeaders.REQUEST_ID);
    }

    public PackageLimits limits() {
        JsonObject claim = jwt.getClaim(InternalClaims.PACKAGE);
        if (claim == null) {
            throw ApiException.unauthorized(ApiMessages.INVALID_TOKEN);
        }
        return PackageLimits.fromClaim(claim);
    }

    public ZoneId zone() {
        return zoneOf(request);
    }

    /** The tenant's HTTP mode as the gateway resolved it (see {@link InternalHeaders#TENANT_STRICT_HTTP}). */
    public boolean strictHttp() {
        return "true".equalsIgnoreCase(request.getHeader(InternalHeaders.TENANT_STRICT_HTTP));
    }

    public String publicBaseUrl() {
        return request.getHeader(InternalHeaders.PUBLIC_BASE_URL);
    }

    public String clientIp() {
        String ip = request.getHeader(InternalHeaders.CLIENT_IP);
        if (ip != null) {
            return ip;
        }
        return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }

    public static ZoneId zoneOf(HttpServerRequest request) {
        return ApiDates.zoneOrUtc(request == null ? null : request.getHeader(InternalHeaders.TENANT_TIME_ZONE));
    }
}
