package io.filehost.common.internal;

import java.util.List;

/**
 * Headers the gateway sets on every forwarded request. The gateway removes any copy a client sent, so a service may
 * read them; none of them grants access on its own (that is the internal JWT's job).
 */
public final class InternalHeaders {
    public static final String REQUEST_ID = "X-Request-Id";
    /** The base URL links must point to: the tenant's configured one, else the scheme and host the client called. */
    public static final String PUBLIC_BASE_URL = "X-Public-Base-Url";
    public static final String TENANT_ID = "X-Tenant-Id";
    public static final String TENANT_TIME_ZONE = "X-Tenant-Time-Zone";
    /**
     * "true" when the tenant answers client errors with strict HTTP codes. The gateway maps the codes itself; a
     * service reads this only where behaviour.md makes the outcome itself depend on the mode (upload into a folder
     * that is not the account's: refused in strict mode, silently the root folder otherwise).
     */
    public static final String TENANT_STRICT_HTTP = "X-Tenant-Strict-Http";
    /** The client's address as the gateway saw it (proxies honoured only when trusted). */
    public static final String CLIENT_IP = "X-Client-Ip";

    /**
     * A service's own credential (file-service → auth-service token exchange, docs/internal-api.md). Not set by the
     * gateway and never forwarded: the gateway routes no client request to /internal.
     */
    public static final String SERVICE_KEY = "X-Service-Key";

    public static final List<String> ALL = List.of(REQUEST_ID, PUBLIC_BASE_URL, TENANT_ID, TENANT_TIME_ZONE, TENANT_STRICT_HTTP, CLIENT_IP);

    private InternalHeaders() {
    }
}
