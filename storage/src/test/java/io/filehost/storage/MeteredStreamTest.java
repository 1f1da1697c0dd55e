package io.filehost.storage;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link MeteredStream} alone: counting, the limit hook, the source's failure kept, hashing only through the observer. */
class MeteredStreamTest {
    @Test
    void countsEveryReadAndHashesOnlyWhatTheObserverIsGiven() throws Exception {
        byte[] content = new byte[200_000];
        new SplittableRandom(1).nextBytes(content);
        List<Long> totals = new ArrayList<>();
        MeteredStream stream = new MeteredStream(new ByteArrayInputStream(content)) {
            @Override
            protected void counted(long total) {
                totals.add(total);
            }
        };
        byte[] read = stream.readAllBytes();
        assertArrayEquals(content, read);
        assertEquals(content.length, stream.count());
        assertEquals(content.length, totals.getLast());
        assertEquals(totals.stream().sorted().distinct().toList(), totals, "running totals, growing");
        // Reading does not hash (the writer's upload threads do): the digests are those of what was handed over.
        MeteredStream unobserved = new MeteredStream(new ByteArrayInputStream(content));
        unobserved.readAllBytes();
        assertEquals(hex("MD5", new byte[0]), unobserved.md5Hex());
        stream.hash(read, 100);
        stream.hash(java.util.Arrays.copyOfRange(read, 100, read.length), read.length - 100);
        assertEquals(hex("MD5", content), stream.md5Hex());
        assertEquals(hex("SHA-256", content), stream.sha256Hex());
        assertNull(stream.sourceFailure());
    }

    @Test
    void aLimitStopsTheStreamForGood() throws Exception {
        MeteredStream stream = new MeteredStream(new ByteArrayInputStream(new byte[1000])) {
            @Override
            protected void counted(long total) throws IOException {
                if (total > 10) {
                    throw new IOException("too large");
                }
            }
        };
        byte[] buffer = new byte[8];
        assertEquals(8, stream.read(buffer, 0, 8));
        assertEquals("too large", assertThrows(IOException.class, () -> stream.read(buffer, 0, 8)).getMessage());
        assertEquals("too large", assertThrows(IOException.class, () -> stream.read(buffer, 0, 8)).getMessage(),
                "no more bytes once stopped");
        assertEquals(16, stream.count());
        assertNull(stream.sourceFailure(), "a limit is not the source's failure");
    }

    @Test
    void whatTheSourceThrowsIsKeptAndReportedOnce() {
        IOException broken = new IOException("client went away");
        List<IOException> reported = new ArrayList<>();
        MeteredStream stream = new MeteredStream(new InputStream() {
            @Override
            public int read() throws IOException {
                throw broken;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw broken;
            }
        }) {
            @Override
            protected void sourceFailed(IOException failure) {
                reported.add(failure);
            }
        };
        assertSame(broken, assertThrows(IOException.class, stream::read));
        assertThrows(IOException.class, stream::read);
        assertSame(broken, stream.sourceFailure());
        assertEquals(List.of(broken), reported);
    }

    @Test
    void skippingIsRefusedSinceItWouldMissBytes() {
        MeteredStream stream = new MeteredStream(new ByteArrayInputStream(new byte[10]));
        assertThrows(IOException.class, () -> stream.skip(5));
        assertEquals(false, stream.markSupported());
    }

    private static String hex(String algorithm, byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    }
}
