package io.filehost.gateway.tenant;

import java.time.ZoneId;

/**
 * The site a request's Host resolved to. {@code strictHttp} false = upstream-compatible mode: client errors are
 * answered with HTTP 200 (behaviour.md §2). {@code publicBaseUrl} has no trailing slash, or is null.
 */
public record Tenant(String id, String name, String publicBaseUrl, boolean strictHttp, String timeZoneId, ZoneId zone) {
}
