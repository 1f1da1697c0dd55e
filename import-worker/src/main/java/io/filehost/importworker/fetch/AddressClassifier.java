package io.filehost.importworker.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether an address is a public internet address the worker may fetch from. Everything that reaches the
 * machine itself, the cluster, the cloud provider or a local network is refused, including IPv6 spellings that embed
 * such an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo).
 */
public final class AddressClassifier {
    /** Names that resolve to a cloud metadata service on some providers; refused before any lookup. */
    private static final Set<String> METADATA_NAMES = Set.of(
            "metadata", "metadata.google.internal", "metadata.goog", "metadata.azure.internal",
            "instance-data", "instance-data.ec2.internal", "metadata.platformequinix.com",
            "metadata.tencentyun.com", "100-100-100-200.metadata");

    private AddressClassifier() {
    }

    public static boolean isMetadataName(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        while (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return METADATA_NAMES.contains(name);
    }

    /** True when the address must not be fetched from. */
    public static boolean isForbidden(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address || b.length == 4) {
            return isForbiddenV4(b);
        }
        if (address instanceof Inet6Address || b.length == 16) {
            return isForbiddenV6(b);
        }
        return true;
    }

    static boolean isForbiddenV4(byte[] b) {
        int a0 = b[0] & 0xff, a1 = b[1] & 0xff, a2 = b[2] & 0xff, a3 = b[3] & 0xff;
        return a0 == 0                                   // 0/8 "this network", 0.0.0.0
                || a0 == 10                              // private
                || a0 == 127                             // loopback
                || (a0 == 100 && (a1 & 0xc0) == 64)      // 100.64/10 CGNAT
                || (a0 == 169 && a1 == 254)              // link-local, 169.254.169.254 metadata
                || (a0 == 172 && (a1 & 0xf0) == 16)      // 172.16/12 private
                || (a0 == 192 && a1 == 168)              // private
                || (a0 == 192 && a1 == 0 && a2 == 0)     // 192.0.0/24 IETF protocol assignments
                || (a0 == 192 && a1 == 0 && a2 == 2)     // TEST-NET-1
                || (a0 == 198 && (a1 & 0xfe) == 18)      // 198.18/15 benchmarking
                || (a0 == 198 && a1 == 51 && a2 == 100)  // TEST-NET-2
                || (a0 == 203 && a1 == 0 && a2 == 113)   // TEST-NET-3
                || (a0 == 192 && a1 == 88 && a2 == 99)   // 6to4 relay anycast
                || a0 >= 224                             // multicast 224/4, reserved 240/4, broadcast
                || (a0 == 100 && a1 == 100 && a2 == 100 && a3 == 200); // Alibaba metadata (inside CGNAT anyway)
    }

    static boolean isForbiddenV6(byte[] b) {
        // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible, deprecated) and ::/:: ::1 are judged by their IPv4 part
        // or refused outright.
        boolean firstTenZero = true;
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                firstTenZero = false;
                break;
            }
        }
        if (firstTenZero) {
            int w5 = ((b[10] & 0xff) << 8) | (b[11] & 0xff);
            if (w5 == 0xffff) {
                return isForbiddenV4(new byte[]{b[12], b[13], b[14], b[15]});
            }
            if (w5 == 0) {
                // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d: nothing public is reached that way.
                return true;
            }
        }
        // ::ffff:0:a.b.c.d (SIIT translated)
        if (allZero(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && b[10] == 0 && b[11] == 0) {
            return true;
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 0xff) {
            return true; // multicast ff00::/8
        }
        if ((first & 0xfe) == 0xfc) {
            return true; // unique local fc00::/7
        }
        if (first == 0xfe && (second & 0xc0) == 0x80) {
            return true; // link-local fe80::/10
        }
        if (first == 0xfe && (second & 0xc0) == 0xc0) {
            return true; // site-local fec0::/10 (deprecated)
        }
        if (first == 0x20 && second == 0x02) {
            // 6to4 2002:a.b.c.d::/16 embeds an IPv4 address: judge it.
            return isForbiddenV4(new byte[]{b[2], b[3], b[4], b[5]});
        }
        if (first == 0x20 && second == 0x01 && b[2] == 0 && b[3] == 0) {
            // Teredo 2001:0::/32: the client address is the last 32 bits, inverted.
            return isForbiddenV4(new byte[]{(byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15]});
        }
        if (first == 0x00 && second == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && allZero(b, 4, 12)) {
            // NAT64 64:ff9b::a.b.c.d
            return isForbiddenV4(new byte[]{b[12], b[13], b[14], b[15]});
        }
        if (first == 0x00 && second == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && b[4] == 0
                && b[5] == 1) {
            return true; // 64:ff9b:1::/48 local-use NAT64
        }
        if (first == 0x01 && second == 0x00 && allZero(b, 2, 8)) {
            return true; // 100::/64 discard-only
        }
        if (first == 0x20 && second == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
            return true; // 2001:db8::/32 documentation
        }
        if (first == 0x20 && second == 0x01 && (b[2] & 0xfe) == 0x00 && (b[2] & 0xff) < 0x02) {
            return true; // 2001::/23 IETF protocol assignments (ORCHID, benchmarking, …)
        }
        // Only global unicast 2000::/3 is public.
        return (first & 0xe0) != 0x20;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses the IPv4 spellings that C's inet_aton and browsers accept: one to four dot-separated parts, each decimal,
     * octal (leading 0) or hex (0x), the last part filling the remaining bytes ({@code 127.1}, {@code 2130706433},
     * {@code 0x7f.1}, {@code 0177.0.0.1}). Returns null when the host is not such a number. A host whose last label is
     * numeric but which does not parse is rejected by the caller without a DNS lookup.
     */
    public static InetAddress parseLegacyIpv4(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (h.isEmpty()) {
            return null;
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length > 4) {
            return null;
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Long v = parseNumber(parts[i]);
            if (v == null) {
                return null;
            }
            values[i] = v;
        }
        long result = 0;
        for (int i = 0; i < values.length - 1; i++) {
            if (values[i] > 255) {
                return null;
            }
            result |= values[i] << (8 * (3 - i));
        }
        long last = values[values.length - 1];
        int remainingBytes = 4 - (values.length - 1);
        if (last >= (1L << (8 * remainingBytes))) {
            return null;
        }
        result |= last;
        try {
            return InetAddress.getByAddress(host, new byte[]{
                    (byte) (result >>> 24), (byte) (result >>> 16), (byte) (result >>> 8), (byte) result});
        } catch (UnknownHostException impossible) {
            return null;
        }
    }

    /** True when the last label looks like a number: such a host is an address spelling, never a DNS name. */
    public static boolean endsInNumber(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        int dot = h.lastIndexOf('.');
        String last = h.substring(dot + 1);
        return !last.isEmpty() && (last.chars().allMatch(Character::isDigit)
                || last.toLowerCase(Locale.ROOT).matches("0x[0-9a-f]*"));
    }

    private static Long parseNumber(String part) {
        if (part.isEmpty() || part.length() > 12) {
            return null;
        }
        String p = part.toLowerCase(Locale.ROOT);
        if (!p.matches("0x[0-9a-f]*|[0-9]+")) {
            return null;
        }
        try {
            if (p.startsWith("0x")) {
                return p.length() == 2 ? 0L : Long.parseLong(p.substring(2), 16);
            }
            if (p.length() > 1 && p.startsWith("0")) {
                return Long.parseLong(p.substring(1), 8);
            }
            return Long.parseLong(p, 10);
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }
}
