package io.filehost.importworker.fetch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The classifier and the host parser, on literals only: nothing here touches the network or a resolver. */
class AddressClassifierTest {

    private static InetAddress literal(String ip) throws java.net.UnknownHostException {
        return InetAddress.getByName(ip); // literals are parsed, never looked up
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.255.255.254", "10.0.0.1", "10.255.255.255", "172.16.0.1",
            "172.31.255.255", "192.168.1.1", "169.254.169.254", "169.254.0.1", "100.64.0.1", "100.127.255.255",
            "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1", "192.0.0.1",
            "192.0.2.1", "198.18.0.1", "198.51.100.1", "203.0.113.1", "100.100.100.200",
            "::", "::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1",
            "::ffff:0:127.0.0.1", "fc00::1", "fd12:3456::1", "fe80::1", "febf::1", "fec0::1", "ff02::1", "ff0e::1",
            "2002:7f00:1::1", "2002:a00:1::", "2002:c0a8:101::1", "2001:0:4136:e378:8000:63bf:80ff:fffe",
            "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b:1::1", "100::1", "2001:db8::1", "2001:10::1"})
    void refusesNonPublicAddresses(String ip) throws Exception {
        assertTrue(AddressClassifier.isForbidden(literal(ip)), ip);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.216.34", "172.15.255.255", "172.32.0.1", "100.63.255.255",
            "100.128.0.1", "169.253.0.1", "11.0.0.1", "192.169.0.1", "2606:4700:4700::1111", "2a00:1450:4001::1",
            "::ffff:8.8.8.8", "2002:808:808::1", "64:ff9b::808:808"})
    void admitsPublicAddresses(String ip) throws Exception {
        assertFalse(AddressClassifier.isForbidden(literal(ip)), ip);
    }

    @Test
    void teredoIsJudgedByItsEmbeddedClient() throws Exception {
        // client 127.0.0.1 inverted = 80ff:fffe
        assertTrue(AddressClassifier.isForbidden(literal("2001:0:4136:e378:8000:63bf:80ff:fffe")));
        // client 8.8.8.8 inverted = f7f7:f7f7
        assertFalse(AddressClassifier.isForbidden(literal("2001:0:4136:e378:8000:63bf:f7f7:f7f7")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2130706433", "0x7f000001", "0x7f.1", "127.1", "127.0.1", "0177.0.0.1", "0177.1",
            "0x7f.0x0.0x0.0x1", "017700000001"})
    void parsesLegacyLoopbackSpellings(String host) {
        InetAddress parsed = AddressClassifier.parseLegacyIpv4(host);
        assertEquals("127.0.0.1", parsed.getHostAddress(), host);
        assertTrue(AddressClassifier.isForbidden(parsed));
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.org", "localhost", "1.2.3.4.5", "256.1.1.1", "08.1.1.1", "+1.2.3.4", ""})
    void doesNotMistakeOtherHostsForLegacyAddresses(String host) {
        assertNull(AddressClassifier.parseLegacyIpv4(host), host);
    }

    @Test
    void readsABareHexPrefixAsZeroLikeInetAton() {
        // glibc's inet_aton takes "0x" as the number 0, so a resolver may turn it into 0.0.0.0: it must be forbidden
        InetAddress parsed = AddressClassifier.parseLegacyIpv4("0x");
        assertEquals("0.0.0.0", parsed.getHostAddress());
        assertTrue(AddressClassifier.isForbidden(parsed));
    }

    @Test
    void knowsMetadataNames() {
        assertTrue(AddressClassifier.isMetadataName("metadata.google.internal"));
        assertTrue(AddressClassifier.isMetadataName("Metadata.Google.Internal."));
        assertFalse(AddressClassifier.isMetadataName("example.org"));
    }

    /** The policy refuses every spelling before any lookup: the resolver here fails the test if it is asked. */
    @ParameterizedTest
    @ValueSource(strings = {"http://2130706433:1/", "http://0x7f.1:1/", "http://[::ffff:127.0.0.1]:1/",
            "http://127.1:1/", "http://%31%32%37.0.0.1:1/", "http://[::1]:1/", "http://0.0.0.0:1/",
            "http://169.254.169.254/latest/meta-data/", "http://metadata.google.internal/", "http://10.1.2.3/",
            "http://[fe80::1%25eth0]/", "http://1.2.3.4.5/", "http://user:pw@127.0.0.1:1/", "http://[::]:1/",
            "https://[fd00::1]/", "http://999.1.1.1/"})
    void policyRefusesForbiddenUrlsWithoutResolving(String url) {
        TargetPolicy policy = new TargetPolicy(List.of("127.0.0.1:2"), false, host -> {
            throw new AssertionError("resolver called for " + host);
        });
        FetchFailure failure = assertThrows(FetchFailure.class, () -> policy.check(new URI(url)));
        assertEquals(FetchFailure.NOT_ALLOWED, failure.clientMessage(), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1:70/", "jar:http://x/!/",
            "data:text/plain,hi", "/relative"})
    void policyRefusesOtherSchemes(String url) {
        TargetPolicy policy = new TargetPolicy(List.of(), false, host -> {
            throw new AssertionError("resolver called for " + host);
        });
        FetchFailure failure = assertThrows(FetchFailure.class, () -> policy.check(new URI(url)));
        assertEquals(FetchFailure.BAD_SCHEME, failure.clientMessage(), url);
    }

    @Test
    void policyAdmitsAllowListedEndpointInAnySpellingAndChecksEveryResolvedAddress() throws Exception {
        TargetPolicy policy = new TargetPolicy(List.of("127.0.0.1:8123"), false, host -> switch (host) {
            case "mixed.test" -> new InetAddress[]{literal("93.184.216.34"), literal("10.0.0.1")};
            case "public.test" -> new InetAddress[]{literal("93.184.216.34")};
            default -> throw new java.net.UnknownHostException(host);
        });
        assertEquals("127.0.0.1", policy.check(new URI("http://127.1:8123/a")).address().getHostAddress());
        assertEquals("127.0.0.1", policy.check(new URI("http://2130706433:8123/a")).address().getHostAddress());
        assertThrows(FetchFailure.class, () -> policy.check(new URI("http://127.0.0.1:8124/a")));
        FetchFailure mixed = assertThrows(FetchFailure.class, () -> policy.check(new URI("http://mixed.test/")));
        assertEquals(FetchFailure.NOT_ALLOWED, mixed.clientMessage());
        Target pub = policy.check(new URI("https://public.test/file"));
        assertEquals("93.184.216.34", pub.address().getHostAddress());
        assertEquals("public.test", pub.hostHeader());
        assertFalse(pub.hostIsLiteral());
        FetchFailure unknown = assertThrows(FetchFailure.class, () -> policy.check(new URI("http://nope.test/")));
        assertEquals(FetchFailure.UNKNOWN_HOST, unknown.clientMessage());
    }

    @Test
    void loopbackOnlyModeRefusesNamesBeforeResolving() {
        TargetPolicy policy = new TargetPolicy(List.of("127.0.0.1:8123"), true, host -> {
            throw new AssertionError("resolver called for " + host);
        });
        assertThrows(FetchFailure.class, () -> policy.check(new URI("http://example.org/")));
        assertThrows(FetchFailure.class, () -> policy.check(new URI("http://93.184.216.34/")));
    }
}
