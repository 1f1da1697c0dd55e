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

    /**
     * Set by the gateway on public-path requests: "the gateway fetches a download's bytes from S3 itself" (see
     * {@link #OBJECT_URL}). Without it (an older gateway, a test calling the service) the service streams the bytes.
     */
    public static final String OBJECT_RELAY = "X-Filehost-Object-Relay";
    /**
     * Response headers of a download answered for the gateway to complete (docs/downloads.md): status and headers are
     * the client's, the body is empty, and the gateway GETs the bytes from this presigned URL, with {@link #OBJECT_RANGE}
     * as its Range when present, expects exactly {@link #OBJECT_LENGTH} bytes, and sends them no faster than
     * {@link #DOWNLOAD_RATE} bytes per second when present. The gateway removes all four before answering.
     */
    public static final String OBJECT_URL = "X-Filehost-Object-Url";
    public static final String OBJECT_RANGE = "X-Filehost-Object-Range";
    public static final String OBJECT_LENGTH = "X-Filehost-Object-Length";
    public static final String DOWNLOAD_RATE = "X-Filehost-Download-Rate";

    public static final List<String> ALL = List.of(REQUEST_ID, PUBLIC_BASE_URL, TENANT_ID, TENANT_TIME_ZONE, TENANT_STRICT_HTTP, CLIENT_IP,
            OBJECT_RELAY);
    public static final List<String> OBJECT_RESPONSE = List.of(OBJECT_URL, OBJECT_RANGE, OBJECT_LENGTH, DOWNLOAD_RATE);

    private InternalHeaders() {
    }
}
