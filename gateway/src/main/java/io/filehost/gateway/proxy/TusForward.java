package io.filehost.gateway.proxy;

import io.filehost.common.api.ApiMessages;
import io.filehost.common.api.TusProtocol;
import io.filehost.gateway.routing.ApiRoute;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.filehost.gateway.proxy.Exchange.or;

/**
 * tus (docs/tus.md): credentials come in headers a tus client sets once ({@code Authorization: Bearer
 * <access_token>} and {@code X-Account-Id}; the query's {@code access_token}/{@code account_id} also work), the body
 * is never parsed, only streamed, and statuses pass through for every tenant: a tus client acts on 409, 412, 423 or
 * 460, and the compatible tenants' "200 with an error envelope" would read as success. OPTIONS without credentials
 * is the protocol's discovery and answered here.
 */
final class TusForward {
    private static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";

    private final Exchange x;

    TusForward(Exchange exchange) {
        this.x = exchange;
    }

    void forward(ApiRoute tusRoute) {
        x.tus = true;
        x.route = tusRoute;
        x.service = tusRoute.service();
        HttpMethod method = x.request.method();
        String override = x.request.getHeader(METHOD_OVERRIDE);
        if (method == HttpMethod.POST && override != null) {
            // tus clients on stacks without PATCH (tus-java-client over HttpURLConnection) tunnel it through POST.
            method = HttpMethod.valueOf(override.trim().toUpperCase(Locale.ROOT));
        }
        boolean collection = tusRoute.path().equals("/api/v2/file/tus");
        boolean allowed = method == HttpMethod.OPTIONS || (collection ? method == HttpMethod.POST
                : method == HttpMethod.HEAD || method == HttpMethod.PATCH || method == HttpMethod.DELETE);
        if (!allowed) {
            x.response.putHeader(HttpHeaders.ALLOW, collection ? "OPTIONS, POST" : "OPTIONS, HEAD, PATCH, DELETE");
            x.refusals.fail(405, ApiMessages.METHOD_NOT_ALLOWED, true, "method");
            return;
        }
        if (!x.decodeQuery()) {
            return;
        }
        String token = or(bearer(x.request.getHeader(HttpHeaders.AUTHORIZATION)),
                first(x.query, FormParams.ACCESS_TOKEN));
        String account = or(x.request.getHeader(TusProtocol.ACCOUNT_HEADER), first(x.query, FormParams.ACCOUNT_ID));
        if (method == HttpMethod.OPTIONS && token == null) {
            new ParamsReader(x).readBody(chunk -> { }, this::answerDiscovery);
            return;
        }
        if (method == HttpMethod.POST || method == HttpMethod.PATCH) {
            x.record.uploadStarted();
        }
        if (!x.credentialsPresent(token, account)) {
            return;
        }
        String uri = x.uriWithoutToken(tusRoute.path());
        HttpMethod upstreamMethod = method;
        x.authorize(token, account, grant -> {
            MultiMap headers = x.forwardHeaders(true, grant);
            headers.remove(METHOD_OVERRIDE);
            x.upstream.forwardStreamed(upstreamMethod, uri, headers);
        });
    }

    private void answerDiscovery() {
        x.record.status = 204;
        x.record.outcome = "tus-options";
        x.finished = true;
        x.response.setStatusCode(204)
                .putHeader("Tus-Resumable", TusProtocol.VERSION)
                .putHeader("Tus-Version", TusProtocol.VERSION)
                .putHeader("Tus-Extension", TusProtocol.EXTENSIONS)
                .end();
        x.complete();
    }

    private static String bearer(String authorization) {
        if (authorization == null || authorization.length() < 8
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params == null ? null : params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
