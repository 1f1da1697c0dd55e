package io.filehost.gateway.proxy;

/** Messages only the gateway produces (the shared ones live in common's ApiMessages). */
final class GatewayMessages {
    static final String UNKNOWN_SITE = "Unknown site.";
    static final String BODY_TOO_LARGE = "The request body is too large.";
    static final String MALFORMED_PARAMS = "Could not read the request parameters.";
    static final String MALFORMED_MULTIPART = "Could not read the multipart/form-data request body.";
    static final String CREDENTIALS_AFTER_FILE = "The upload is too large to be held until access_token and "
            + "account_id arrive: send access_token and account_id before upload_file (or in the query string).";

    private GatewayMessages() {
    }
}
