package io.filehost.importworker.fetch;

/**
 * The remote side (or the URL) made the import fail for good: the job ends FAILED with {@link #clientMessage()}, which
 * is shown to the API client and therefore never names an internal address or carries a stack trace.
 */
public class FetchFailure extends Exception {
    public static final String NOT_ALLOWED = "The URL points to an address that is not allowed.";
    public static final String INVALID_URL = "The URL is not valid.";
    public static final String BAD_SCHEME = "Only http and https URLs can be imported.";
    public static final String TOO_MANY_REDIRECTS = "The URL redirected too many times.";
    public static final String TOO_LARGE = "The file is larger than the allowed size.";
    public static final String TOO_SLOW = "The download took too long.";
    public static final String NO_ANSWER = "The remote server did not answer in time.";
    public static final String UNREACHABLE = "The remote server could not be reached.";
    public static final String UNKNOWN_HOST = "The remote host name could not be resolved.";
    public static final String BROKEN = "The remote server closed the connection before the file was complete.";
    public static final String BAD_RESPONSE = "The remote server sent an invalid answer.";
    public static final String TLS = "The remote server's TLS certificate could not be verified.";

    private final String outcome;

    public FetchFailure(String clientMessage, String outcome) {
        super(clientMessage, null, false, false);
        this.outcome = outcome;
    }

    public static FetchFailure httpStatus(int status) {
        return new FetchFailure("The remote server answered HTTP " + status + ".", "http_status");
    }

    public String clientMessage() {
        return getMessage();
    }

    /** Low-cardinality metric tag. */
    public String outcome() {
        return outcome;
    }
}
