package io.filehost.gateway.proxy;

import io.filehost.common.internal.InternalHeaders;
import io.vertx.core.MultiMap;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Which headers cross the gateway. */
final class HeaderPolicy {
    /** RFC 9110 §7.6.1 connection-specific headers, plus the historical ones still seen in the wild. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

    /**
     * Never taken from the client: identity and tenant headers are the gateway's to set, trace context is injected
     * by the instrumented client, forwarding headers are replaced by X-Client-Ip and X-Public-Base-Url.
     */
    private static final Set<String> FROM_CLIENT_REMOVED;

    static {
        Set<String> removed = new HashSet<>(Set.of("host", "expect", "authorization", "traceparent", "tracestate",
                "baggage", "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port",
                "x-real-ip"));
        for (String internal : InternalHeaders.ALL) {
            removed.add(internal.toLowerCase(Locale.ROOT));
        }
        FROM_CLIENT_REMOVED = Set.copyOf(removed);
    }

    /** Internal to the platform: the request id is set by the gateway itself, the object headers are for it alone. */
    private static final Set<String> FROM_SERVICE_REMOVED = java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(InternalHeaders.REQUEST_ID), InternalHeaders.OBJECT_RESPONSE.stream())
            .map(name -> name.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** Describe the body; dropped when the gateway sends a body of its own (the normalised form). */
    private static final Set<String> BODY = Set.of("content-type", "content-length", "content-encoding");

    private HeaderPolicy() {
    }

    static void copyRequestHeaders(MultiMap from, MultiMap to, boolean keepBodyHeaders) {
        Set<String> connectionTokens = connectionTokens(from);
        for (Map.Entry<String, String> header : from) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || connectionTokens.contains(name) || FROM_CLIENT_REMOVED.contains(name)) {
                continue;
            }
            if (!keepBodyHeaders && BODY.contains(name)) {
                continue;
            }
            to.add(header.getKey(), header.getValue());
        }
    }

    static void copyResponseHeaders(MultiMap from, MultiMap to) {
        Set<String> connectionTokens = connectionTokens(from);
        for (Map.Entry<String, String> header : from) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || connectionTokens.contains(name) || FROM_SERVICE_REMOVED.contains(name)) {
                continue;
            }
            to.add(header.getKey(), header.getValue());
        }
    }

    private static Set<String> connectionTokens(MultiMap headers) {
        Set<String> tokens = new HashSet<>();
        for (String value : headers.getAll("Connection")) {
            for (String token : value.split(",")) {
                String trimmed = token.trim().toLowerCase(Locale.ROOT);
                if (!trimmed.isEmpty()) {
                    tokens.add(trimmed);
                }
            }
        }
        return tokens;
    }
}
