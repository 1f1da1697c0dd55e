package io.filehost.gateway.proxy;

import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who called and how: the client address, and the scheme and host the client used (for the tenant lookup and the
 * public base URL). X-Forwarded-For/-Proto/-Host count only when the direct peer is a trusted proxy; otherwise
 * anybody could pick their rate-limit bucket or the host their links point to.
 *
 * @param host the host (and port) the client addressed, or null when absent or not a valid host
 */
public record Origin(String clientIp, String scheme, String host) {
    private static final Pattern HOST = Pattern.compile("^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+)(:[0-9]{1,5})?$");

    public static Origin of(HttpServerRequest request, TrustedProxies proxies) {
        String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        String host = request.getHeader("Host");
        if (host == null) {
            host = request.host();
        }
        String scheme = request.scheme() == null ? "http" : request.scheme();
        String clientIp = peer;
        if (peer != null && proxies.trusts(peer)) {
            String forwardedHost = first(request.getHeader("X-Forwarded-Host"));
            if (forwardedHost != null) {
                host = forwardedHost;
            }
            String forwardedProto = first(request.getHeader("X-Forwarded-Proto"));
            if ("http".equalsIgnoreCase(forwardedProto) || "https".equalsIgnoreCase(forwardedProto)) {
                scheme = forwardedProto.toLowerCase(Locale.ROOT);
            }
            clientIp = forwardedClient(request.headers().getAll("X-Forwarded-For"), proxies, peer);
        }
        return new Origin(clientIp, scheme, validHost(host));
    }

    /** The public base URL when the tenant has none configured: {@code {scheme}://{host}}. */
    public String baseUrl() {
        return host == null ? null : scheme + "://" + host;
    }

    /**
     * The right-most address in X-Forwarded-For that is not a trusted proxy (each proxy appends the address it saw,
     * so everything left of the first untrusted hop may be forged by the client).
     */
    static String forwardedClient(List<String> headerValues, TrustedProxies proxies, String peer) {
        List<String> hops = new ArrayList<>();
        for (String value : headerValues) {
            for (String hop : value.split(",")) {
                String trimmed = hop.trim();
                if (!trimmed.isEmpty()) {
                    hops.add(trimmed);
                }
            }
        }
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (!TrustedProxies.isIpLiteral(hop)) {
                break;
            }
            client = hop;
            if (!proxies.trusts(hop)) {
                break;
            }
        }
        return client;
    }

    private static String first(String headerValue) {
        if (headerValue == null) {
            return null;
        }
        int comma = headerValue.indexOf(',');
        String first = (comma < 0 ? headerValue : headerValue.substring(0, comma)).trim();
        return first.isEmpty() ? null : first;
    }

    static String validHost(String host) {
        if (host == null) {
            return null;
        }
        String trimmed = host.trim();
        return trimmed.length() <= 255 && HOST.matcher(trimmed).matches() ? trimmed : null;
    }
}
