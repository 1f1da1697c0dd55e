package io.filehost.importworker.fetch;

import io.filehost.importworker.config.ImportConfig;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a URL into the one address the worker will connect to, or refuses it. The host is parsed by hand (percent
 * decoding, IPv6 brackets, the legacy numeric IPv4 spellings) so that no spelling of a forbidden address reaches the
 * resolver or the socket; names are resolved once here and every resolved address must be public, because the
 * connection then goes to the checked address itself (no second lookup that a DNS-rebinding server could answer
 * differently).
 */
public class TargetPolicy {
    private static final Logger LOG = Logger.getLogger(TargetPolicy.class);

    /** Resolves a host name; replaceable in tests. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Set<String> allowed = new HashSet<>();
    private final boolean loopbackOnly;
    private final Resolver resolver;

    public TargetPolicy(ImportConfig config) {
        this(config.allow().orElse(List.of()), config.loopbackOnly(), InetAddress::getAllByName);
    }

    public TargetPolicy(List<String> allow, boolean loopbackOnly, Resolver resolver) {
        this.loopbackOnly = loopbackOnly;
        this.resolver = resolver;
        for (String entry : allow) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            try {
                Target t = parse(URI.create("http://" + e + "/"), false);
                if (!t.hostIsLiteral() || t.address() == null) {
                    LOG.warnf("Ignoring allow-list entry %s: only ip:port entries are accepted", e);
                    continue;
                }
                allowed.add(key(t.address(), t.port()));
            } catch (FetchFailure | IllegalArgumentException invalid) {
                LOG.warnf("Ignoring invalid allow-list entry %s", e);
            }
        }
    }

    private static String key(InetAddress address, int port) {
        return address.getHostAddress() + "|" + port;
    }

    public boolean isAllowListed(InetAddress address, int port) {
        return allowed.contains(key(address, port));
    }

    /** The checked endpoint of {@code url}, or a {@link FetchFailure} with the client message. */
    public Target check(URI url) throws FetchFailure {
        Target parsed = parse(url, true);
        InetAddress[] candidates;
        if (parsed.address() != null) {
            candidates = new InetAddress[]{parsed.address()};
        } else {
            String host = parsed.host();
            if (AddressClassifier.isMetadataName(host)) {
                throw new FetchFailure(FetchFailure.NOT_ALLOWED, "forbidden_address");
            }
            if (loopbackOnly && !"localhost".equals(host)) {
                throw new FetchFailure(FetchFailure.NOT_ALLOWED, "forbidden_address");
            }
            try {
                candidates = resolver.resolve(host);
            } catch (UnknownHostException | SecurityException unknown) {
                throw new FetchFailure(FetchFailure.UNKNOWN_HOST, "unknown_host");
            }
            if (candidates == null || candidates.length == 0) {
                throw new FetchFailure(FetchFailure.UNKNOWN_HOST, "unknown_host");
            }
        }
        // Every address must pass: a name that resolves to one public and one private address is refused, since the
        // platform cannot know which one a later client (or an attacker's DNS) would pick.
        for (InetAddress candidate : candidates) {
            if (!isAllowListed(candidate, parsed.port()) && AddressClassifier.isForbidden(candidate)) {
                throw new FetchFailure(FetchFailure.NOT_ALLOWED, "forbidden_address");
            }
        }
        InetAddress chosen = candidates[0];
        if (loopbackOnly && !(chosen.isLoopbackAddress() && isAllowListed(chosen, parsed.port()))) {
            throw new FetchFailure(FetchFailure.NOT_ALLOWED, "forbidden_address");
        }
        return new Target(parsed.scheme(), parsed.host(), parsed.port(), chosen, parsed.hostIsLiteral());
    }

    /** Scheme, host and port of the URL; the address when the host is an IP literal in any spelling. */
    static Target parse(URI url, boolean strictScheme) throws FetchFailure {
        String scheme = url.getScheme() == null ? null : url.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new FetchFailure(FetchFailure.BAD_SCHEME, "bad_scheme");
        }
        String authority = url.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw new FetchFailure(FetchFailure.INVALID_URL, "invalid_url");
        }
        int at = authority.lastIndexOf('@');
        String hostPort = at >= 0 ? authority.substring(at + 1) : authority;
        String rawHost;
        String rawPort = null;
        boolean bracketed = hostPort.startsWith("[");
        if (bracketed) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new FetchFailure(FetchFailure.INVALID_URL, "invalid_url");
            }
            rawHost = hostPort.substring(1, close);
            String rest = hostPort.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new FetchFailure(FetchFailure.INVALID_URL, "invalid_url");
                }
                rawPort = rest.substring(1);
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            rawHost = colon >= 0 ? hostPort.substring(0, colon) : hostPort;
            rawPort = colon >= 0 ? hostPort.substring(colon + 1) : null;
        }
        int port = "https".equals(scheme) ? 443 : 80;
        if (rawPort != null && !rawPort.isEmpty()) {
            if (!rawPort.matches("[0-9]{1,5}")) {
                throw new FetchFailure(FetchFailure.INVALID_URL, "invalid_url");
            }
            port = Integer.parseInt(rawPort);
            if (port < 1 || port > 65535) {
                throw new FetchFailure(FetchFailure.INVALID_URL, "invalid_url");
            }
        }
        String host = percentDecode(rawHost).toLowerCase(Locale.ROOT);
        if (host.isEmpty() || host.chars().anyMatch(c -> c <= 0x20 || c == 0x7f || c == '/' || c == '\\'
                || c == '@' || c == '#' || c == '?')) {
            throw new FetchFailure(FetchFailure.INVALID_URL, "invalid_url");
        }
        if (bracketed || host.indexOf(':') >= 0) {
            if (!host.matches("[0-9a-f:.]+")) {
                // Zone ids (fe80::1%eth0) and anything else unusual: link-local at best.
                throw new FetchFailure(FetchFailure.NOT_ALLOWED, "forbidden_address");
            }
            try {
                // A literal containing ':' is parsed, never looked up.
                InetAddress address = InetAddress.getByName(host);
                return new Target(scheme, host, port, address, true);
            } catch (UnknownHostException invalid) {
                throw new FetchFailure(FetchFailure.INVALID_URL, "invalid_url");
            }
        }
        InetAddress legacy = AddressClassifier.parseLegacyIpv4(host);
        if (legacy != null) {
            return new Target(scheme, legacy.getHostAddress(), port, legacy, true);
        }
        if (AddressClassifier.endsInNumber(host)) {
            // Looks like an address but is not a valid one: never hand it to a resolver.
            throw new FetchFailure(FetchFailure.NOT_ALLOWED, "forbidden_address");
        }
        String ascii;
        try {
            ascii = IDN.toASCII(host.endsWith(".") ? host.substring(0, host.length() - 1) : host,
                    IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException invalid) {
            throw new FetchFailure(FetchFailure.INVALID_URL, "invalid_url");
        }
        if (ascii.isEmpty() || ascii.length() > 253) {
            throw new FetchFailure(FetchFailure.INVALID_URL, "invalid_url");
        }
        return new Target(scheme, ascii, port, null, false);
    }

    private static String percentDecode(String s) throws FetchFailure {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new FetchFailure(FetchFailure.INVALID_URL, "invalid_url");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new FetchFailure(FetchFailure.INVALID_URL, "invalid_url");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    static boolean isIpv6(InetAddress address) {
        return address instanceof Inet6Address;
    }
}
