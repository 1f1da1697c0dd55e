package io.filehost.gateway.proxy;

import io.filehost.common.api.ApiMessages;
import io.filehost.gateway.multipart.MalformedMultipartException;
import io.filehost.gateway.multipart.MultipartScanner;
import io.filehost.gateway.multipart.SpoolLimitExceededException;
import io.filehost.gateway.multipart.UploadRecording;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

import static io.filehost.gateway.proxy.Exchange.or;

/**
 * {@code file/upload} with a multipart body: forwarded byte for byte, streamed. The credentials come from the query
 * string (then the body is streamed at once) or from multipart fields in any order. Until they are known the raw
 * bytes are recorded (memory, then a bounded spool file) while a scanner watches for the two fields; then the request
 * is paused, the caller authenticated, the recording replayed to file-service and the rest of the live request
 * streamed after it.
 *
 * <p>A body-wins caveat: when one credential is in the query and the other in the body, forwarding starts as soon
 * as both are known; a second copy in the body after the file part is not waited for.
 */
final class UploadForward {
    /** The exchange's category, which docs/observability.md names. */
    private static final Logger LOG = Exchange.LOG;
    private static final int MAX_CREDENTIAL_BYTES = 4096;

    private final Exchange x;
    private final List<Buffer> pending = new ArrayList<>();
    private String queryToken;
    private String queryAccount;
    private MultipartScanner scanner;
    private UploadRecording recording;
    /** The upstream request and its pump once the live request streams (phase STREAMING). */
    private HttpClientRequest streamed;
    private Pump pump;

    UploadForward(Exchange exchange) {
        this.x = exchange;
    }

    void start(String boundary) {
        queryToken = FormParams.firstNonBlank(x.query.get(FormParams.ACCESS_TOKEN));
        queryAccount = FormParams.firstNonBlank(x.query.get(FormParams.ACCOUNT_ID));
        x.request.handler(chunk -> x.guard(() -> chunk(chunk)));
        x.request.endHandler(v -> x.guard(this::ended));
        if (queryToken != null && queryAccount != null) {
            forward(queryToken, queryAccount);
            return;
        }
        x.phase = Exchange.Phase.SCANNING;
        scanner = new MultipartScanner(boundary,
                name -> name.equals(FormParams.ACCESS_TOKEN) || name.equals(FormParams.ACCOUNT_ID),
                MAX_CREDENTIAL_BYTES);
        recording = new UploadRecording(x.context.owner(), x.gateway.spoolDirectory(),
                x.gateway.config().scanMemoryBytes(), x.gateway.config().spoolMaxBytes());
        x.sendContinueIfExpected();
        x.request.resume();
    }

    /** Releases the recording and what was held back. Safe to call more than once. */
    void discard() {
        if (recording != null) {
            recording.discard();
            recording = null;
        }
        pending.clear();
    }

    private void chunk(Buffer chunk) {
        if (x.finished) {
            return;
        }
        x.upstream.touch();
        x.record.received(chunk.length(), true);
        switch (x.phase) {
            case SCANNING -> scan(chunk);
            case STREAMING -> pump.push(chunk);
            // Authorizing, connecting or replaying: the request is paused, but a chunk already on its way is kept
            // in order and written after the replay.
            default -> pending.add(chunk);
        }
    }

    private void scan(Buffer chunk) {
        Future<Void> recorded = recording.append(chunk);
        if (recorded.failed()) {
            recordingFailed(recorded.cause());
            return;
        }
        try {
            scanner.feed(chunk);
        } catch (MalformedMultipartException e) {
            x.refusals.fail(400, GatewayMessages.MALFORMED_MULTIPART, false, "bad-multipart");
            return;
        }
        String token = scannedToken();
        String account = scannedAccount();
        if (token != null && account != null) {
            x.request.pause();
            forward(token, account);
            return;
        }
        if (!recorded.isComplete()) {
            x.request.pause();
            recorded.onComplete(ar -> x.guard(() -> {
                if (ar.failed()) {
                    recordingFailed(ar.cause());
                } else if (x.phase == Exchange.Phase.SCANNING && !x.finished) {
                    x.request.resume();
                }
            }));
        }
    }

    private String scannedToken() {
        return or(FormParams.firstNonBlank(scanner.first(FormParams.ACCESS_TOKEN)), queryToken);
    }

    private String scannedAccount() {
        return or(FormParams.firstNonBlank(scanner.first(FormParams.ACCOUNT_ID)), queryAccount);
    }

    private void ended() {
        x.requestEnded = true;
        if (x.finished) {
            return;
        }
        switch (x.phase) {
            case SCANNING -> {
                // The whole body went by without both credentials.
                try {
                    scanner.finish();
                } catch (MalformedMultipartException e) {
                    x.refusals.fail(400, GatewayMessages.MALFORMED_MULTIPART, false, "bad-multipart");
                    return;
                }
                x.credentialsPresent(scannedToken(), scannedAccount());
            }
            case STREAMING -> streamed.end();
            default -> {
                // Ends the upstream request once the replay is done (see streamLive).
            }
        }
    }

    private void forward(String token, String account) {
        x.authorize(token, account, grant -> {
            x.sendContinueIfExpected();
            MultiMap headers = x.forwardHeaders(true, grant);
            x.upstream.open(HttpMethod.POST, x.uriWithoutToken(x.route.path()), headers, up -> {
                if (!headers.contains(HttpHeaders.CONTENT_LENGTH)) {
                    up.setChunked(true);
                }
                x.phase = Exchange.Phase.REPLAYING;
                if (recording != null && recording.spooled()) {
                    // Counted before the replay: once the whole recording is replayed the service may answer, and
                    // the client may see that answer before the replay's completion callback runs.
                    x.metrics.uploadSpooled();
                }
                Future<Void> replayed = recording == null
                        ? Future.succeededFuture()
                        : recording.finish().compose(v -> recording.replayTo(up));
                replayed.onComplete(ar -> x.guard(() -> {
                    if (x.finished) {
                        return;
                    }
                    if (ar.failed()) {
                        x.upstream.failed(ar.cause());
                        return;
                    }
                    streamLive(up);
                }));
            });
        });
    }

    /** After the replay: what arrived meanwhile, then the live request, with back-pressure both ways. */
    private void streamLive(HttpClientRequest up) {
        if (recording != null) {
            recording.discard();
            recording = null;
        }
        // The replay's pipe removed its own exception handler from the upstream request: the call's goes back.
        up.exceptionHandler(e -> x.guard(() -> x.upstream.failed(e)));
        streamed = up;
        pump = new Pump(x.request, up, x, () -> !x.finished && !x.requestEnded);
        for (Buffer chunk : pending) {
            up.write(chunk);
        }
        pending.clear();
        x.phase = Exchange.Phase.STREAMING;
        if (x.requestEnded) {
            up.end();
        } else if (!up.writeQueueFull()) {
            x.request.resume();
        }
    }

    private void recordingFailed(Throwable cause) {
        if (cause instanceof SpoolLimitExceededException) {
            x.refusals.fail(413, GatewayMessages.CREDENTIALS_AFTER_FILE, false, "spool-limit");
        } else {
            LOG.errorf("Request %s: could not spool the upload: %s", x.requestId, cause.toString());
            x.refusals.fail(500, ApiMessages.INTERNAL_ERROR, true, "spool-error");
        }
    }
}
