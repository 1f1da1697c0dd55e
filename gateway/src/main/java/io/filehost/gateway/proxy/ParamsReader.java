package io.filehost.gateway.proxy;

import io.filehost.common.security.Secrets;
import io.filehost.gateway.auth.Grant;
import io.filehost.gateway.multipart.MalformedMultipartException;
import io.filehost.gateway.multipart.MultipartScanner;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every API request except a streamed upload: its parameters (query string, then an urlencoded or multipart body of
 * at most {@code max-form-bytes}) are read whole, merged, checked for credentials, and forwarded as one urlencoded
 * POST.
 */
final class ParamsReader {
    private static final String DISABLE_ACCESS_TOKEN = "disable_access_token";

    private final Exchange x;

    ParamsReader(Exchange exchange) {
        this.x = exchange;
    }

    /** GET, or a body type the API does not define: the query string is all there is. Any body is drained. */
    void readQueryOnly() {
        readBody(chunk -> { }, () -> normalised(Map.of()));
    }

    void readUrlencoded() {
        Buffer body = Buffer.buffer();
        readBody(body::appendBuffer, () -> {
            Map<String, List<String>> form;
            try {
                form = FormParams.decode(body.toString(StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                x.refusals.fail(400, GatewayMessages.MALFORMED_PARAMS, false, "bad-form");
                return;
            }
            normalised(form);
        });
    }

    void readMultipartFields(String boundary) {
        // Every text field is kept; file parts are skipped as they stream by. The whole body is bounded anyway.
        MultipartScanner fields = new MultipartScanner(boundary, name -> true, x.gateway.config().maxFormBytes());
        readBody(chunk -> {
            try {
                fields.feed(chunk);
            } catch (MalformedMultipartException e) {
                x.refusals.fail(400, GatewayMessages.MALFORMED_MULTIPART, false, "bad-multipart");
            }
        }, () -> {
            try {
                fields.finish();
            } catch (MalformedMultipartException e) {
                x.refusals.fail(400, GatewayMessages.MALFORMED_MULTIPART, false, "bad-multipart");
                return;
            }
            normalised(fields.fields());
        });
    }

    /** Reads the whole body, at most {@code max-form-bytes} (413 beyond), then runs {@code onEnd}. */
    void readBody(Consumer<Buffer> onChunk, Runnable onEnd) {
        int limit = x.gateway.config().maxFormBytes();
        if (x.declaredLength() > limit) {
            x.refusals.fail(413, GatewayMessages.BODY_TOO_LARGE, false, "body-too-large");
            return;
        }
        x.phase = Exchange.Phase.READING;
        x.sendContinueIfExpected();
        boolean upload = x.route != null && x.route.upload();
        x.request.handler(chunk -> x.guard(() -> {
            if (x.finished) {
                return;
            }
            x.record.received(chunk.length(), upload);
            if (x.record.bytesIn > limit) {
                x.refusals.fail(413, GatewayMessages.BODY_TOO_LARGE, false, "body-too-large");
                return;
            }
            onChunk.accept(chunk);
        }));
        x.request.endHandler(v -> x.guard(() -> {
            x.requestEnded = true;
            if (!x.finished) {
                onEnd.run();
            }
        }));
        x.request.resume();
    }

    private void normalised(Map<String, List<String>> body) {
        if (x.finished) {
            return;
        }
        Map<String, List<String>> params = FormParams.merge(x.query, body);
        String token = FormParams.firstNonBlank(params.remove(FormParams.ACCESS_TOKEN));
        Buffer form = Buffer.buffer(FormParams.encode(params));
        if (!x.route.needsCredentials()) {
            forward(form, null);
            return;
        }
        String account = FormParams.firstNonBlank(params.get(FormParams.ACCOUNT_ID));
        if (!x.credentialsPresent(token, account)) {
            return;
        }
        x.authorize(token, account, grant -> {
            if (x.route.is(DISABLE_ACCESS_TOKEN)) {
                x.revokedTokenHash = Secrets.sha256Hex(token);
            }
            forward(form, grant);
        });
    }

    private void forward(Buffer form, Grant grant) {
        MultiMap headers = x.forwardHeaders(false, grant);
        headers.set(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded; charset=UTF-8");
        headers.set(HttpHeaders.CONTENT_LENGTH, Integer.toString(form.length()));
        x.upstream.open(HttpMethod.POST, x.route.path(), headers, up -> up.end(form));
    }
}
