package io.filehost.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 1 GiB multipart upload, generated on the fly, through the gateway into a fake file-service that only counts
 * bytes and hashes them. The test JVM has a 256 MiB heap (surefire argLine): it can only pass if every hop streams.
 */
@QuarkusTest
@QuarkusTestResource(FakeServices.class)
class LargeUploadTest extends GatewayTestSupport {
    private static final Logger LOG = Logger.getLogger(LargeUploadTest.class);
    private static final long FILE_BYTES = 1024L * 1024 * 1024;

    /** prefix + FILE_BYTES of pseudo-random data + suffix, hashed as it is read. */
    static final class GeneratedBody extends InputStream {
        private final byte[] prefix;
        private final byte[] suffix;
        private final byte[] block = Multipart.randomBytes(1024 * 1024, 42);
        private final MessageDigest md5;
        private final long total;
        private long position;

        GeneratedBody(byte[] prefix, byte[] suffix) throws Exception {
            this.prefix = prefix;
            this.suffix = suffix;
            this.md5 = MessageDigest.getInstance("MD5");
            this.total = prefix.length + FILE_BYTES + suffix.length;
        }

        long length() {
            return total;
        }

        /** Once, after the body has been read completely. */
        String md5() {
            return HexFormat.of().formatHex(md5.digest());
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            if (position >= total) {
                return -1;
            }
            int n;
            if (position < prefix.length) {
                n = (int) Math.min(length, prefix.length - position);
                System.arraycopy(prefix, (int) position, target, offset, n);
            } else if (position < prefix.length + FILE_BYTES) {
                long inFile = position - prefix.length;
                int inBlock = (int) (inFile % block.length);
                n = (int) Math.min(Math.min(length, block.length - inBlock), prefix.length + FILE_BYTES - position);
                System.arraycopy(block, inBlock, target, offset, n);
                // Vary the blocks so a repeated or skipped MiB would change the hash.
                target[offset] ^= (byte) (inFile / block.length);
            } else {
                int inSuffix = (int) (position - prefix.length - FILE_BYTES);
                n = Math.min(length, suffix.length - inSuffix);
                System.arraycopy(suffix, inSuffix, target, offset, n);
            }
            md5.update(target, offset, n);
            position += n;
            return n;
        }
    }

    @Test
    void oneGibibyteUploadStreamsThroughWithItsMd5Intact() throws Exception {
        String boundary = "gib-boundary-0123456789abcdef";
        String prefix = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"access_token\"\r\n\r\n" + token(300)
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"account_id\"\r\n\r\n300\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"upload_file\"; filename=\"big.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        String suffix = "\r\n--" + boundary + "--\r\n";
        GeneratedBody body = new GeneratedBody(prefix.getBytes(StandardCharsets.US_ASCII),
                suffix.getBytes(StandardCharsets.US_ASCII));
        String id = newRequestId();

        long start = System.nanoTime();
        HttpResponse<String> response = rawPost("/api/v2/file/upload", "multipart/form-data; boundary=" + boundary,
                BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> body), body.length()),
                Map.of("X-Request-Id", id));
        double seconds = (System.nanoTime() - start) / 1e9;

        assertEquals(200, response.statusCode(), response.body());
        String sentMd5 = body.md5();
        FakeServices.Recorded received = fakes().awaitRequest(id);
        assertEquals(body.length(), received.length());
        assertEquals(sentMd5, received.md5());
        assertTrue(response.body().contains(sentMd5), response.body());
        double mibPerSecond = body.length() / 1024.0 / 1024.0 / seconds;
        String line = String.format("1 GiB upload through the gateway: %.1f s, %.0f MiB/s (client, gateway and fake "
                + "file-service in one JVM, -Xmx256m)", seconds, mibPerSecond);
        LOG.info(line);
        System.out.println(line);
    }
}
