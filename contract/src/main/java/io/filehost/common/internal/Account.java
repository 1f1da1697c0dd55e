package io.filehost.common.internal;

/**
 * The caller as a service layer needs it, built by {@code Caller.account()} from the verified internal JWT (identity,
 * tenant, package limits) and the gateway's headers (presentation: public base URL, client address, HTTP mode). One
 * record for every service, so a service method's signature says the same thing everywhere. Work done on an account's
 * behalf without a request (an import finishing, a resumable upload completed by the server) builds it from what was
 * stored: {@code limits} and {@code baseUrl} may then be null.
 */
public record Account(long tenantId, long accountId, PackageLimits limits, String baseUrl, String clientIp,
                      boolean strictHttp) {
}
