package io.filehost.common.api;

/** Client-visible messages whose exact wording is part of the contract (behaviour.md). */
public final class ApiMessages {
    public static final String INVALID_TOKEN =
            "Could not validate access_token and account_id, please reauthenticate or try again.";
    public static final String AUTH_FAILED = "Could not authenticate user. The key pair may be invalid or your account "
            + "may be locked from too many failed logins.";
    public static final String KEY1_INVALID = "Please provide key1. It must be 64 characters in length.";
    public static final String KEY2_INVALID = "Please provide key2. It must be 64 characters in length.";
    public static final String TOKEN_REMOVED = "Token removed or no longer available.";
    public static final String RATE_LIMITED = "Maximum API request limit reached. Please slow down and try again shortly.";
    public static final String SERVICE_UNAVAILABLE = "The service is temporarily unavailable. Please try again shortly.";
    public static final String SERVICE_TIMEOUT = "The service did not answer in time. Please try again shortly.";
    public static final String INTERNAL_ERROR = "An internal error occurred. Please try again later.";
    public static final String METHOD_NOT_ALLOWED = "Request method not expected. Use GET or POST.";
    /**
     * Seconds a client is asked to wait after a 503 (a dependency is down): long enough for a breaker to half-open or a
     * database to restart, short enough that a retrying client notices the recovery soon. Here, not in the services'
     * ApiResponses, because the gateway's own 503s carry the same value.
     */
    public static final int RETRY_AFTER_SECONDS = 5;

    private ApiMessages() {
    }

    public static String missingParam(String name) {
        return "Please provide the " + name + " param.";
    }

    public static String noEndpoint(String endpoint) {
        return "No endpoint found for: " + endpoint;
    }

    public static String noMethod(String endpoint, String action) {
        return "No method found within endpoint (" + endpoint + "): " + action;
    }
}
