package io.filehost.storage;

import io.minio.GetObjectArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Upload;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ObjectWriter} against the real S3 endpoint: parts read in the caller's thread and uploaded meanwhile, content
 * intact, one PUT for a small object, and a failing source (which is how a limit breach arrives) aborting the
 * multipart upload so that neither an object nor a pending upload is left.
 */
@QuarkusTest
class ObjectWriterTest {
    private static final int PART = 5 * 1024 * 1024;

    @Inject
    ObjectWriter writer;

    @Inject
    MinioClient minio;

    @Inject
    MinioAsyncClient s3;

    @Inject
    StorageConfig storage;

    @Test
    void aMultiPartObjectRoundTripsWithItsDigests() throws Exception {
        for (int size : new int[] {2 * PART + 12_345, 2 * PART, PART}) {
            byte[] content = random(size, size);
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            String key = "writer-test/" + UUID.randomUUID();
            ObjectWriter.Written written = writer.write(key, "application/octet-stream",
                    new DigestInputStream(new DigestInputStream(new ByteArrayInputStream(content), md5), sha256), PART);
            try {
                assertEquals(size, written.size());
                assertEquals((size + PART - 1) / PART, written.parts(), "one part per started " + PART + " bytes");
                byte[] stored;
                try (InputStream in = minio.getObject(GetObjectArgs.builder().bucket(storage.bucket()).object(key)
                        .build())) {
                    stored = in.readAllBytes();
                }
                assertArrayEquals(content, stored);
                // The digests computed on the way (in the reading thread) are those of what S3 holds.
                assertEquals(hex("MD5", stored), HexFormat.of().formatHex(md5.digest()));
                assertEquals(hex("SHA-256", stored), HexFormat.of().formatHex(sha256.digest()));
                assertEquals("application/octet-stream", minio.statObject(StatObjectArgs.builder()
                        .bucket(storage.bucket()).object(key).build()).contentType());
                assertTrue(pendingUploads(key).isEmpty());
            } finally {
                minio.removeObject(RemoveObjectArgs.builder().bucket(storage.bucket()).object(key).build());
            }
        }
    }

    @Test
    void theObserverSeesEveryByteOnceInOrderOffTheReadingThread() throws Exception {
        // As Uploader hashes: the observer's digests must be those of what S3 holds, for multipart and single PUTs.
        for (int size : new int[] {3 * PART + 777, 2 * PART, PART - 1, 0}) {
            byte[] content = random(size, size + 11L);
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            Thread reader = Thread.currentThread();
            java.util.concurrent.atomic.AtomicBoolean offReader = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicLong seen = new java.util.concurrent.atomic.AtomicLong();
            String key = "writer-test/" + UUID.randomUUID();
            ObjectWriter.Written written = writer.write(key, "application/octet-stream",
                    new ByteArrayInputStream(content), PART, (bytes, length) -> {
                        offReader.compareAndSet(false, Thread.currentThread() != reader);
                        seen.addAndGet(length);
                        md5.update(bytes, 0, length);
                        sha256.update(bytes, 0, length);
                    });
            try {
                assertEquals(size, written.size());
                assertEquals(size, seen.get(), "every byte observed once");
                assertEquals(hex("MD5", content), HexFormat.of().formatHex(md5.digest()));
                assertEquals(hex("SHA-256", content), HexFormat.of().formatHex(sha256.digest()));
                if (written.parts() > 0) {
                    assertTrue(offReader.get(), "a multipart object is observed in another thread than the reading one");
                }
                try (InputStream in = minio.getObject(GetObjectArgs.builder().bucket(storage.bucket()).object(key)
                        .build())) {
                    assertArrayEquals(content, in.readAllBytes());
                }
            } finally {
                minio.removeObject(RemoveObjectArgs.builder().bucket(storage.bucket()).object(key).build());
            }
        }
    }

    @Test
    void anObjectSmallerThanOnePartIsOnePut() throws Exception {
        for (int size : new int[] {0, 1, PART - 1}) {
            byte[] content = random(size, 7);
            String key = "writer-test/" + UUID.randomUUID();
            ObjectWriter.Written written = writer.write(key, "application/octet-stream",
                    new ByteArrayInputStream(content), PART);
            try {
                assertEquals(0, written.parts(), "a single PUT, no multipart upload");
                assertEquals(size, written.size());
                try (InputStream in = minio.getObject(GetObjectArgs.builder().bucket(storage.bucket()).object(key)
                        .build())) {
                    assertArrayEquals(content, in.readAllBytes());
                }
            } finally {
                minio.removeObject(RemoveObjectArgs.builder().bucket(storage.bucket()).object(key).build());
            }
        }
    }

    @Test
    void aSourceFailingMidwayAbortsAndLeavesNothing() throws Exception {
        // Inside the third part: two parts are uploaded or in flight when the source fails.
        for (long failAt : new long[] {2L * PART + 1_000, PART + 1}) {
            String key = "writer-test/" + UUID.randomUUID();
            IOException broken = new IOException("client went away");
            IOException thrown = assertThrows(IOException.class, () -> writer.write(key, "application/octet-stream",
                    failingAfter(failAt, broken), PART));
            assertSame(broken, thrown, "the source's own exception comes out");
            assertNothingLeft(key);
        }
    }

    @Test
    void aLimitBreachAbortsAndLeavesNothing() throws Exception {
        // As Uploader's and the import's metered streams do: the limit check fails the read that crosses it.
        String key = "writer-test/" + UUID.randomUUID();
        long limit = 2L * PART + 100;
        MeteredStream limited = new MeteredStream(new ByteArrayInputStream(random(3 * PART, 3))) {
            @Override
            protected void counted(long total) throws IOException {
                if (total > limit) {
                    throw new IOException("too large");
                }
            }
        };
        IOException thrown = assertThrows(IOException.class, () -> writer.write(key, "application/octet-stream",
                limited, PART, limited::hash));
        assertEquals("too large", thrown.getMessage());
        assertTrue(limited.count() > limit && limited.count() <= limit + 64 * 1024, "stopped at the crossing read");
        assertNothingLeft(key);
    }

    @Test
    void aMeteredStreamsDigestsAreThoseOfTheStoredObject() throws Exception {
        // The writer feeds the stream's hash on its upload threads; the digests must still be of what S3 holds.
        for (int size : new int[] {2 * PART + 4_321, PART - 1}) {
            byte[] content = random(size, size + 5L);
            MeteredStream metered = new MeteredStream(new ByteArrayInputStream(content));
            String key = "writer-test/" + UUID.randomUUID();
            ObjectWriter.Written written = writer.write(key, "application/octet-stream", metered, PART,
                    metered::hash);
            try {
                assertEquals(size, written.size());
                assertEquals(size, metered.count());
                assertEquals(hex("MD5", content), metered.md5Hex());
                assertEquals(hex("SHA-256", content), metered.sha256Hex());
                assertNull(metered.sourceFailure());
            } finally {
                minio.removeObject(RemoveObjectArgs.builder().bucket(storage.bucket()).object(key).build());
            }
        }
    }

    @Test
    void aMeteredStreamKeepsWhatItsSourceThrew() throws Exception {
        // How a caller tells the client's failure from S3's once the MinIO client has wrapped the exception.
        String key = "writer-test/" + UUID.randomUUID();
        IOException broken = new IOException("client went away");
        MeteredStream metered = new MeteredStream(failingAfter(PART + 10, broken));
        assertThrows(IOException.class, () -> writer.write(key, "application/octet-stream", metered, PART,
                metered::hash));
        assertSame(broken, metered.sourceFailure());
        assertNothingLeft(key);
    }

    @Test
    void pendingMultipartUploadsAreVisibleToTheCheck() throws Exception {
        // The "no pending upload" assertions above mean something only if this S3 lists multipart uploads.
        String key = "writer-test/" + UUID.randomUUID();
        String uploadId = s3.createMultipartUploadAsync(storage.bucket(), null, key, null, null).get().result()
                .uploadId();
        try {
            List<Upload> pending = pendingUploads(key);
            assertEquals(1, pending.size());
            assertEquals(uploadId, pending.get(0).uploadId());
        } finally {
            s3.abortMultipartUploadAsync(storage.bucket(), null, key, uploadId, null, null).get();
        }
        assertTrue(pendingUploads(key).isEmpty());
    }

    private void assertNothingLeft(String key) throws Exception {
        assertThrows(ErrorResponseException.class, () -> minio.statObject(StatObjectArgs.builder()
                .bucket(storage.bucket()).object(key).build()), "no object");
        assertTrue(pendingUploads(key).isEmpty(), "no pending multipart upload");
    }

    private List<Upload> pendingUploads(String key) throws Exception {
        return s3.listMultipartUploadsAsync(storage.bucket(), null, null, null, null, null, key, null, null, null)
                .get().result().uploads();
    }

    private static InputStream failingAfter(long bytes, IOException failure) {
        return new InputStream() {
            final SplittableRandom random = new SplittableRandom(bytes);
            long left = bytes;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    throw failure;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) random.nextInt();
                }
                left -= n;
                return n;
            }
        };
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    private static String hex(String algorithm, byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    }
}
