package io.filehost.fileservice.service;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The skipping multipart reader against bodies delivered in every kind of split. */
class MultipartStreamTest {
    private static final String BOUNDARY = "------------------------d74496d66958873e";

    /** Delivers the body in pieces of 1..max bytes, so delimiters and headers straddle reads. */
    private static InputStream chopped(byte[] body, int max, long seed) {
        Random random = new Random(seed);
        return new ByteArrayInputStream(body) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(max)));
            }
        };
    }

    private static byte[] body(String preamble, byte[] file, String fileName, String closing) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(preamble.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"access_token\"\r\n\r\n"
                + "tok\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"upload_file\"; filename=\""
                + fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(file);
        out.writeBytes(("\r\n--" + BOUNDARY + " \t\r\nContent-Disposition: form-data; name=\"folder_id\"\r\n\r\n"
                + "12\r\n--" + BOUNDARY + closing).getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private record Read(String name, String fileName, byte[] content) {
    }

    private static List<Read> readAll(InputStream in, int readSize) throws IOException {
        MultipartStream stream = new MultipartStream(in, BOUNDARY);
        List<Read> parts = new ArrayList<>();
        MultipartStream.Part part;
        while ((part = stream.next()) != null) {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            byte[] chunk = new byte[readSize];
            int n;
            while ((n = part.content().read(chunk, 0, chunk.length)) >= 0) {
                content.write(chunk, 0, n);
            }
            parts.add(new Read(part.fieldName(), part.fileName(), content.toByteArray()));
        }
        return parts;
    }

    @Test
    void partsComeOutExactWhateverTheSplit() throws IOException {
        byte[] file = new byte[1_500_000];
        new Random(1).nextBytes(file);
        // near misses of the delimiter inside the content, also at its very end
        byte[] near = ("\r\n--" + BOUNDARY.substring(0, 20)).getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(near, 0, file, 1000, near.length);
        System.arraycopy(near, 0, file, file.length - near.length, near.length);
        byte[] body = body("", file, "a b.bin", "--\r\nepilogue");
        for (int max : new int[]{1, 7, 100, 70_000}) {
            for (int readSize : new int[]{1, 13, 65536}) {
                if (max == 1 && readSize == 1) {
                    continue; // slow and adds nothing to max 1 / readSize 13
                }
                List<Read> parts = readAll(chopped(body, max, max * 31L + readSize), readSize);
                assertEquals(3, parts.size());
                assertEquals("access_token", parts.get(0).name());
                assertNull(parts.get(0).fileName());
                assertArrayEquals("tok".getBytes(StandardCharsets.US_ASCII), parts.get(0).content());
                assertEquals("upload_file", parts.get(1).name());
                assertEquals("a b.bin", parts.get(1).fileName());
                assertArrayEquals(file, parts.get(1).content(), "max " + max + " read " + readSize);
                assertEquals("folder_id", parts.get(2).name());
                assertArrayEquals("12".getBytes(StandardCharsets.US_ASCII), parts.get(2).content());
            }
        }
    }

    @Test
    void aPreambleAndAnEmptyFileAreFine() throws IOException {
        List<Read> parts = readAll(chopped(body("ignored preamble\r\n", new byte[0], "", "--"), 5, 3), 100);
        assertEquals(3, parts.size());
        assertEquals("", parts.get(1).fileName());
        assertEquals(0, parts.get(1).content().length);
    }

    @Test
    void unreadPartsAreSkipped() throws IOException {
        byte[] file = new byte[200_000];
        MultipartStream stream = new MultipartStream(chopped(body("", file, "f", "--"), 3000, 5), BOUNDARY);
        assertEquals("access_token", stream.next().fieldName());
        assertEquals("upload_file", stream.next().fieldName());
        assertEquals("folder_id", stream.next().fieldName());
        assertNull(stream.next());
    }

    @Test
    void rfc2231FileNamesAreDecoded() throws IOException {
        String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"upload_file\"; "
                + "filename*=UTF-8''na%C3%AFve.txt\r\n\r\nx\r\n--" + BOUNDARY + "--";
        MultipartStream stream = new MultipartStream(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
                BOUNDARY);
        assertEquals("naïve.txt", stream.next().fileName());
    }

    @Test
    void aBodyCutShortIsIncomplete() {
        byte[] body = body("", new byte[100_000], "f", "--");
        for (int cut : new int[]{0, 10, 150, 50_000, body.length - 2}) {
            byte[] shorter = java.util.Arrays.copyOf(body, cut);
            assertThrows(MultipartStream.IncompleteException.class, () -> readAll(chopped(shorter, 999, cut), 4096),
                    "cut at " + cut);
        }
    }

    @Test
    void garbageAfterADelimiterIsMalformed() {
        String body = "--" + BOUNDARY + "X\r\n\r\n";
        IOException e = assertThrows(MultipartStream.MalformedException.class, () -> readAll(
                new ByteArrayInputStream(body.getBytes(StandardCharsets.US_ASCII)), 10));
        assertTrue(e.getMessage().contains("CRLF"), e.getMessage());
    }

    @Test
    void theBoundaryComesFromTheContentType() throws IOException {
        assertEquals("abc", MultipartStream.boundary("multipart/form-data; boundary=abc"));
        assertEquals("a b", MultipartStream.boundary("multipart/form-data; charset=utf-8; boundary=\"a b\""));
        assertThrows(MultipartStream.MalformedException.class, () -> MultipartStream.boundary("multipart/form-data"));
        assertThrows(MultipartStream.MalformedException.class,
                () -> MultipartStream.boundary("multipart/form-data; boundary="));
    }
}
