package io.filehost.common.internal;

/** Names in the internal JWT that auth-service signs and every service verifies. */
public final class InternalClaims {
    public static final String ISSUER = "filehost-auth";
    public static final String AUDIENCE = "filehost-internal";
    /** The subject is the account id; these are the other claims. */
    public static final String TENANT_ID = "tid";
    public static final String USERNAME = "usr";
    /** SHA-256 of the API access token the JWT stands for, so a service can act on "this token" without seeing it. */
    public static final String TOKEN_HASH = "tkh";
    public static final String PACKAGE = "pkg";

    private InternalClaims() {
    }
}
