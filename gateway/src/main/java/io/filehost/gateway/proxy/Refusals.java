package io.filehost.gateway.proxy;

import io.filehost.common.api.ApiMessages;
import io.filehost.common.api.ApiMedia;
import io.filehost.common.api.Envelope;
import io.filehost.common.rest.EarlyAnswer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * The endings of an exchange other than a relayed answer: the gateway's own error answer ({@link #fail}), a broken
 * relay ({@link #abort}), a vanished client ({@link #clientGone}); and what each means for the client's connection
 * while its request body is still coming (read and drop the rest, or answer early and close after a lingering read:
 * common's {@link EarlyAnswer}).
 */
final class Refusals {
    /** Client-error statuses a compatible tenant receives as 200 (behaviour.md §2, internal-api.md). */
    private static final Set<Integer> COMPAT_REWRITTEN = Set.of(400, 401, 403, 404, 413, 429);

    private final Exchange x;

    Refusals(Exchange exchange) {
        this.x = exchange;
    }

    /**
     * Answers with the error envelope. {@code exempt}: the status is never mapped to 200 for compatible tenants
     * (unknown endpoint/action, wrong method, server-side failures).
     */
    void fail(int errorStatus, String message, boolean exempt, String why) {
        if (x.finished) {
            return;
        }
        x.finished = true;
        RequestRecord record = x.record;
        record.outcome = why;
        record.status = compatible(errorStatus, exempt || !x.api);
        x.upstream.reset();
        HttpServerRequest request = x.request;
        boolean closeAfter = false;
        if (!x.requestEnded && !request.isEnded()) {
            if (bodyIsSmall() && !(x.expectsContinue() && !x.continueSent)) {
                // Read and drop the rest, so the connection stays usable for the next request.
                request.handler(chunk -> { });
                request.endHandler(v -> x.requestEnded = true);
                request.resume();
            } else {
                closeAfter = true;
            }
        }
        ZoneId zone = x.tenant == null ? ZoneOffset.UTC : x.tenant.zone();
        Buffer body = Buffer.buffer(Envelope.error(message, zone).toString());
        x.response.setStatusCode(record.status)
                .putHeader(HttpHeaders.CONTENT_TYPE, ApiMedia.JSON_UTF8)
                .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
        x.response.headers().remove(HttpHeaders.TRANSFER_ENCODING);
        if (record.status == 503) {
            // As every service's 503: the condition is temporary, a retry is the right reaction.
            x.response.putHeader("Retry-After", Integer.toString(ApiMessages.RETRY_AFTER_SECONDS));
        }
        record.bytesOut += body.length();
        boolean close = closeAfter && x.isHttp1();
        if (close) {
            x.response.putHeader(HttpHeaders.CONNECTION, "close");
        } else if (closeAfter) {
            drainRest();
        }
        x.response.end(body).onComplete(done -> {
            if (close) {
                lingerThenClose();
            }
        });
        x.complete();
    }

    /** A part of the answer is on its way: the only honest signal left is breaking the connection. */
    void abort(String why) {
        if (x.finished) {
            return;
        }
        x.finished = true;
        x.record.outcome = why;
        x.upstream.reset();
        x.response.reset();
        x.complete();
    }

    void clientGone() {
        if (x.finished) {
            return;
        }
        x.finished = true;
        x.record.status = 499;
        x.record.outcome = "client-closed";
        // The service must see the abort too (file-service then drops the partial upload).
        x.upstream.reset();
        x.complete();
    }

    /** Closes the connection of a request whose body is still coming, after a bounded lingering read. */
    void lingerThenClose() {
        EarlyAnswer.lingerThenClose(x.request, x.context.owner(), EarlyAnswer.LINGER_MILLIS);
    }

    /** The status a tenant receives: compatible tenants get client errors as 200 (except tus and exempt ones). */
    int compatible(int strictStatus, boolean exempt) {
        if (exempt || x.tus || x.tenant == null || x.tenant.strictHttp() || !COMPAT_REWRITTEN.contains(strictStatus)) {
            return strictStatus;
        }
        return 200;
    }

    /** HTTP/2: the refused stream's remaining body is read and dropped; the shared connection stays open. */
    private void drainRest() {
        try {
            x.request.handler(chunk -> { });
            x.request.resume();
        } catch (IllegalStateException alreadyEnded) {
            // nothing left to drain
        }
    }

    /** Whatever the client still has to send is small enough to read and drop rather than close the connection. */
    private boolean bodyIsSmall() {
        Exchange.Phase phase = x.phase;
        if (phase == Exchange.Phase.STREAMING || phase == Exchange.Phase.SCANNING
                || phase == Exchange.Phase.REPLAYING) {
            return false;
        }
        long declared = x.declaredLength();
        if (declared >= 0) {
            return declared <= x.gateway.config().maxFormBytes();
        }
        return !x.request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }
}
