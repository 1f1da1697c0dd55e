package io.filehost.fileservice.service;

import io.filehost.common.internal.PackageLimits;

/** The caller as the service layer needs it: identity from the JWT, presentation from the gateway's headers. */
public record Account(long tenantId, long accountId, PackageLimits limits, String baseUrl, String clientIp,
                      boolean strictHttp) {
}
