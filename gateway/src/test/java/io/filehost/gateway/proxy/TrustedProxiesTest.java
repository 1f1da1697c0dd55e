package io.filehost.gateway.proxy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrustedProxiesTest {
    @Test
    void addressesAndRanges() {
        TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8"));
        assertTrue(proxies.trusts("10.200.3.4"));
        assertFalse(proxies.trusts("11.0.0.1"));
        assertTrue(proxies.trusts("192.168.1.7"));
        assertFalse(proxies.trusts("192.168.1.8"));
        assertTrue(proxies.trusts("fd12:3456::1"));
        assertTrue(proxies.trusts("::ffff:10.1.1.1"), "IPv4-mapped IPv6 is the IPv4 address");
        assertFalse(proxies.trusts("localhost"), "names are never resolved");
        assertFalse(TrustedProxies.of(List.of()).trusts("127.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(List.of("proxy.example.com")));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(List.of("10.0.0.0/33")));
    }

    @Test
    void clientIsTheRightMostUntrustedHop() {
        TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.0/8"));
        assertEquals("203.0.113.5", Origin.forwardedClient(List.of("1.2.3.4, 203.0.113.5, 10.0.0.2"), proxies, "10.0.0.1"));
        assertEquals("203.0.113.5", Origin.forwardedClient(List.of("1.2.3.4", "203.0.113.5"), proxies, "10.0.0.1"));
        assertEquals("10.0.0.9", Origin.forwardedClient(List.of("10.0.0.9"), proxies, "10.0.0.1"),
                "all hops trusted: the left-most");
        assertEquals("10.0.0.1", Origin.forwardedClient(List.of(), proxies, "10.0.0.1"));
        assertEquals("203.0.113.5", Origin.forwardedClient(List.of("garbage, 203.0.113.5"), proxies, "10.0.0.1"));
        assertEquals("10.0.0.1", Origin.forwardedClient(List.of("203.0.113.5, not-an-ip"), proxies, "10.0.0.1"),
                "a broken chain is not followed");
    }

    @Test
    void hostsAreValidated() {
        assertEquals("files.example.com:8080", Origin.validHost(" files.example.com:8080 "));
        assertEquals("[::1]:8080", Origin.validHost("[::1]:8080"));
        assertNull(Origin.validHost("evil.com/path"));
        assertNull(Origin.validHost("a b"));
        assertNull(Origin.validHost(null));
    }
}
