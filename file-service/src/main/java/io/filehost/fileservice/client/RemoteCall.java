package io.filehost.fileservice.client;

import io.filehost.common.api.ApiException;
import io.filehost.common.api.ApiMessages;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The error shape every call to another service shares. Inside a client's fault-tolerant method an answer becomes a
 * {@link Refused} (4xx: the other service said no; retrying or opening the circuit would not help) or a {@link Failure}
 * (5xx or unreachable: retried, counted by the circuit breaker). Outside it, {@link #unavailable} turns what is left
 * into the client's answer: 503 (504's message for a timeout) — never a silent default — logged with the request id
 * and the reason, since the client only sees "temporarily unavailable".
 */
public final class RemoteCall {
    private static final Logger LOG = Logger.getLogger(RemoteCall.class);

    private RemoteCall() {
    }

    /** What a call to {@code service} threw, as a {@link Refused} or a {@link Failure}. */
    static RuntimeException classify(String service, RuntimeException e) {
        if (e instanceof Refused || e instanceof Failure) {
            return e;
        }
        if (e instanceof WebApplicationException web) {
            int status = web.getResponse() == null ? 500 : web.getResponse().getStatus();
            if (status >= 400 && status < 500) {
                return new Refused(service + " answered " + status + body(web));
            }
            return new Failure(service + " answered " + status);
        }
        return new Failure(service + " unreachable: " + e.getMessage());
    }

    private static String body(WebApplicationException e) {
        try {
            String body = e.getResponse().readEntity(String.class);
            return body == null || body.isEmpty() ? "" : " " + body;
        } catch (RuntimeException unreadable) {
            return "";
        }
    }

    /**
     * The answer for a call ({@code what}, e.g. "check of folder 7") that did not succeed; an {@link ApiException} is
     * already one and passes through. Logged at WARN with {@code requestId} (null outside a request).
     */
    public static ApiException unavailable(String requestId, String what, RuntimeException e) {
        if (e instanceof ApiException api) {
            return api;
        }
        String reason = switch (e) {
            case TimeoutException timeout -> "no answer in time";
            case CircuitBreakerOpenException open -> "not tried, the service failed repeatedly (circuit open)";
            case Refused refused -> refused.getMessage();
            case Failure failure -> failure.getMessage();
            default -> e.toString();
        };
        LOG.warnf("request %s: %s failed: %s", requestId, what, reason);
        return new ApiException(503, e instanceof TimeoutException ? ApiMessages.SERVICE_TIMEOUT
                : ApiMessages.SERVICE_UNAVAILABLE);
    }

    /** The other service said no: not retried, and not a sign of an outage. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** The other service failed or could not be reached: retried, and counted by the circuit breaker. */
    public static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message, null, false, false);
        }
    }
}
