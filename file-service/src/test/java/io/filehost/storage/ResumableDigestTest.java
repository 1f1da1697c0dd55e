package io.filehost.storage;

import org.bouncycastle.crypto.digests.MD5Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A digest saved at any offset and continued elsewhere (another request, replica, implementation, or from a state
 * saved before the deploy) ends at the digest of the whole content.
 */
class ResumableDigestTest {
    private static final byte[] DATA = new byte[3 * 1024 * 1024 + 77];
    private static final String MD5;
    private static final String SHA256;

    static {
        new Random(42).nextBytes(DATA);
        try {
            MD5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(DATA));
            SHA256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(DATA));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Cut points: block boundaries, one either side, odd offsets, a partial word. */
    private static final List<int[]> CUTS = List.of(new int[]{0}, new int[]{1}, new int[]{3}, new int[]{63},
            new int[]{64}, new int[]{65}, new int[]{5, 70, 129}, new int[]{333, 1_000_003, 2_097_152},
            new int[]{DATA.length - 1}, new int[]{DATA.length});

    @Test
    void testJvmsReadTheJdkDigestState() {
        // the test JVMs are started with --add-opens java.base/sun.security.provider (root pom's argLine)
        assertEquals("jdk", ResumableDigest.implementation(), String.valueOf(JdkDigests.UNAVAILABLE));
    }

    @Test
    void jdkStatesSavedAtAnyOffsetGiveTheWholeDigest() {
        for (int[] cuts : CUTS) {
            assertWhole(cuts, ResumableDigest::restore, ResumableDigest.start());
        }
    }

    @Test
    void fallbackStatesSavedAtAnyOffsetGiveTheWholeDigest() {
        for (int[] cuts : CUTS) {
            assertWhole(cuts, ResumableDigest::bouncyCastle, ResumableDigest.bouncyCastle(null, null));
        }
    }

    @Test
    void implementationsContinueEachOthersStates() {
        for (int[] cuts : CUTS) {
            // alternating: JDK, Bouncy Castle, JDK, ... (replicas with and without the opened package)
            boolean[] jdk = {true};
            assertWhole(cuts, (m, s) -> {
                jdk[0] = !jdk[0];
                return jdk[0] ? ResumableDigest.restore(m, s) : ResumableDigest.bouncyCastle(m, s);
            }, ResumableDigest.start());
        }
    }

    @Test
    void statesSavedBeforeTheDeployByBouncyCastleContinue() {
        for (int cut : new int[]{0, 1, 2, 3, 4, 5, 63, 64, 65, 127, 1_000_003}) {
            MD5Digest md5 = new MD5Digest();
            SHA256Digest sha256 = new SHA256Digest();
            md5.update(DATA, 0, cut);
            sha256.update(DATA, 0, cut);
            // the rows of uploads in progress hold Bouncy Castle's own encodings
            ResumableDigest digest = ResumableDigest.restore(md5.getEncodedState(), sha256.getEncodedState());
            digest.update(DATA, cut, DATA.length - cut);
            assertArrayEquals(new String[]{MD5, SHA256}, digest.finishHex(), "cut at " + cut);
        }
    }

    @Test
    void theStoredFormatIsTheSameForBothImplementations() {
        ResumableDigest jdk = ResumableDigest.start();
        ResumableDigest bc = ResumableDigest.bouncyCastle(null, null);
        jdk.update(DATA, 0, 1234567);
        bc.update(DATA, 0, 1234567);
        assertArrayEquals(bc.md5State(), jdk.md5State());
        assertArrayEquals(bc.sha256State(), jdk.sha256State());
        assertEquals(DigestState.decode(DigestState.Algorithm.MD5, jdk.md5State()).bytes(), 1234567);
    }

    @Test
    void aStateOfTheOtherAlgorithmOrGarbageIsRefused() {
        byte[] md5 = ResumableDigest.start().md5State();
        assertThrows(IllegalArgumentException.class, () -> DigestState.decode(DigestState.Algorithm.SHA256, md5));
        assertThrows(RuntimeException.class, () -> DigestState.decode(DigestState.Algorithm.MD5,
                "not a digest state at all, longer than a header".getBytes(StandardCharsets.US_ASCII)));
    }

    /** A JVM without the opened package: Bouncy Castle, said once in the log, and the same digests. */
    @Test
    void aJvmWithoutTheOpenedPackageFallsBackToBouncyCastle() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                Probe.class.getName()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        assertTrue(output.contains("implementation=bouncycastle"), output);
        assertTrue(output.contains("digests=" + MD5 + "," + SHA256), output);
        assertTrue(output.contains("fall back to Bouncy Castle"), output);
        assertEquals(1, output.split("fall back to Bouncy Castle", -1).length - 1, output);
    }

    /** Run in the child JVM of the test above. */
    public static final class Probe {
        public static void main(String[] args) {
            ResumableDigest first = ResumableDigest.start();
            first.update(DATA, 0, 777);
            ResumableDigest second = ResumableDigest.restore(first.md5State(), first.sha256State());
            second.update(DATA, 777, DATA.length - 777);
            System.out.println("implementation=" + ResumableDigest.implementation());
            System.out.println("digests=" + String.join(",", second.finishHex()));
            System.out.flush();
        }
    }

    /** Hashes DATA in the segments {@code cuts} makes, saving and restoring the state at each cut. */
    private static void assertWhole(int[] cuts, BiFunction<byte[], byte[], ResumableDigest> restore,
                                    ResumableDigest digest) {
        int from = 0;
        for (int cut : cuts) {
            digest.update(DATA, from, cut - from);
            digest = restore.apply(digest.md5State(), digest.sha256State());
            from = cut;
        }
        digest.update(DATA, from, DATA.length - from);
        assertArrayEquals(new String[]{MD5, SHA256}, digest.finishHex(), "cuts " + java.util.Arrays.toString(cuts));
    }
}
