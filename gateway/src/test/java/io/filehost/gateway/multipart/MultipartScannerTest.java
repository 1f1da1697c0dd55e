package io.filehost.gateway.multipart;

import io.filehost.gateway.Multipart;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultipartScannerTest {
    private static final Predicate<String> CREDENTIALS = Set.of("access_token", "account_id")::contains;
    private static final String TOKEN = "a".repeat(64) + "B".repeat(64);

    private static MultipartScanner scanner(String boundary) {
        return new MultipartScanner(boundary, CREDENTIALS, 4096);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Feeds {@code body} cut at the given offsets. */
    private static MultipartScanner scan(String boundary, byte[] body, int... cuts) {
        MultipartScanner scanner = scanner(boundary);
        int from = 0;
        for (int cut : cuts) {
            scanner.feed(body, from, cut - from);
            from = cut;
        }
        scanner.feed(body, from, body.length - from);
        return scanner;
    }

    private static void assertCredentials(MultipartScanner scanner, String account) {
        assertEquals(TOKEN, scanner.first("access_token"));
        assertEquals(account, scanner.first("account_id"));
    }

    @Test
    void credentialsBeforeTheFileAtEverySplitOffset() {
        // The file holds boundary-like traps: a CRLF, a lone "--", the boundary without its CRLF, a near miss.
        byte[] file = bytes("data\r\n--b0und\r\n--not-it\r\n-- b0undary\r\n--b0undar--b0undary then\r\n-end");
        byte[] body = new Multipart("b0undary")
                .field("access_token", TOKEN)
                .field("account_id", "42")
                .file("upload_file", "x.bin", file)
                .end();
        for (int cut = 0; cut <= body.length; cut++) {
            MultipartScanner scanner = scan("b0undary", body, cut);
            assertCredentials(scanner, "42");
            assertTrue(scanner.complete(), "cut at " + cut);
            scanner.finish();
        }
    }

    @Test
    void credentialsAfterTheFileAtEverySplitOffsetAndEveryPairOfOffsets() {
        byte[] body = new Multipart("xyz")
                .file("upload_file", "f.txt", bytes("\r\n--xy\r\n-xyz--xyz\r\n--x!"))
                .field("account_id", "7")
                .field("access_token", TOKEN)
                .end();
        for (int i = 0; i <= body.length; i++) {
            assertCredentials(scan("xyz", body, i), "7");
        }
        for (int i = 0; i <= body.length; i += 3) {
            for (int j = i; j <= body.length; j += 5) {
                MultipartScanner scanner = scan("xyz", body, i, j);
                assertCredentials(scanner, "7");
                assertTrue(scanner.complete());
            }
        }
    }

    @Test
    void byteByByte() {
        byte[] body = new Multipart("bb")
                .field("other", "ignored")
                .file("upload_file", "r.bin", Multipart.randomBytes(20_000, 3))
                .field("access_token", TOKEN)
                .field("account_id", "99")
                .end();
        MultipartScanner scanner = scanner("bb");
        for (byte b : body) {
            scanner.feed(new byte[] {b}, 0, 1);
        }
        assertCredentials(scanner, "99");
        assertNull(scanner.first("other"), "only the asked-for fields are kept");
        assertTrue(scanner.complete());
        assertEquals(body.length, scanner.position());
    }

    @Test
    void buffersWithOffsetsAreReadCorrectly() {
        byte[] body = new Multipart("vx").field("access_token", TOKEN).field("account_id", "5").end();
        MultipartScanner scanner = scanner("vx");
        // A slice of a bigger Netty buffer: array offset and reader index must be honoured.
        Buffer big = Buffer.buffer().appendString("GARBAGE").appendBytes(body).appendString("MORE");
        scanner.feed(big.slice(7, 7 + body.length));
        assertCredentials(scanner, "5");
        assertTrue(scanner.complete());
    }

    @Test
    void selfOverlappingBoundaryIsMatchedAfterFalseStarts() {
        // Boundary "abab": the body holds "\r\n--aba" + "\r\n--abab..." so the matcher must fall back correctly.
        String body = "--abab\r\nContent-Disposition: form-data; name=\"access_token\"\r\n\r\n" + TOKEN
                + "\r\n--abab\r\nContent-Disposition: form-data; name=\"upload_file\"; filename=\"a\"\r\n\r\n"
                + "x\r\n--aba\r\n--abaX\r"
                + "\r\n--abab\r\nContent-Disposition: form-data; name=\"account_id\"\r\n\r\n3\r\n--abab--";
        byte[] raw = bytes(body);
        for (int cut = 0; cut <= raw.length; cut++) {
            MultipartScanner scanner = scan("abab", raw, cut);
            assertCredentials(scanner, "3");
            assertTrue(scanner.complete());
        }
    }

    @Test
    void quotedUnquotedAndEscapedNamesAndHeaderVariants() {
        String body = "preamble to ignore\r\n"
                + "--q\r\n"
                + "content-disposition: FORM-DATA; NAME=access_token\r\n\r\n" + TOKEN + "\r\n"
                + "--q  \t\r\n" // transport padding after the boundary
                + "Content-Type: text/plain\r\nContent-Disposition: form-data;name=\"account_id\" ; x=\"y;z\"\r\n\r\n"
                + "12\r\n"
                + "--q\r\nContent-Disposition: form-data; name=\"a\\\"b\"\r\n\r\nquoted\r\n"
                + "--q--\r\nepilogue is ignored, even --q\r\n";
        MultipartScanner scanner = new MultipartScanner("q", name -> true, 4096);
        byte[] raw = bytes(body);
        scanner.feed(raw, 0, raw.length);
        assertEquals(TOKEN, scanner.first("access_token"));
        assertEquals("12", scanner.first("account_id"));
        assertEquals("quoted", scanner.first("a\"b"));
        assertTrue(scanner.complete());
    }

    @Test
    void filePartsNamedLikeCredentialsAreNotCredentials() {
        byte[] body = new Multipart("f")
                .file("access_token", "token.txt", bytes("not a field"))
                .raw("--f\r\nContent-Disposition: form-data; name=\"account_id\"; filename*=UTF-8''id.txt\r\n\r\n1\r\n")
                .end();
        MultipartScanner scanner = scan("f", body);
        assertNull(scanner.first("access_token"));
        assertNull(scanner.first("account_id"));
        assertTrue(scanner.complete());
    }

    @Test
    void missingFieldsAndEmptyValues() {
        byte[] body = new Multipart("m").field("account_id", "").field("folder_id", "1").end();
        MultipartScanner scanner = scan("m", body);
        assertEquals("", scanner.first("account_id"));
        assertNull(scanner.first("access_token"));
        assertTrue(scanner.complete());
    }

    @Test
    void partWithoutHeadersIsSkipped() {
        String body = "--e\r\n\r\nno headers at all\r\n--e\r\nContent-Disposition: form-data; name=\"account_id\"\r\n\r\n"
                + "8\r\n--e--";
        MultipartScanner scanner = scan("e", bytes(body));
        assertEquals("8", scanner.first("account_id"));
        assertTrue(scanner.complete());
    }

    @Test
    void overlongValuesAreTruncatedNotBuffered() {
        String huge = "x".repeat(100_000);
        byte[] body = new Multipart("o").field("access_token", huge).field("account_id", "1").end();
        MultipartScanner scanner = new MultipartScanner("o", CREDENTIALS, 4096);
        scanner.feed(body, 0, body.length);
        assertEquals(4096, scanner.first("access_token").length());
        assertEquals("1", scanner.first("account_id"));
    }

    @Test
    void utf8ValuesAndAllFieldsWhenAsked() {
        byte[] body = new Multipart("u").field("filename", "Grüße 日本.txt").field("filename", "second")
                .file("upload_file", "skip.bin", Multipart.randomBytes(1000, 4)).field("z", "last").end();
        MultipartScanner scanner = new MultipartScanner("u", name -> true, 1024);
        scanner.feed(body, 0, body.length);
        Map<String, List<String>> fields = scanner.fields();
        assertEquals(List.of("Grüße 日本.txt", "second"), fields.get("filename"));
        assertEquals(List.of("last"), fields.get("z"));
        assertFalse(fields.containsKey("upload_file"));
    }

    @Test
    void malformedBodiesAreRejected() {
        // Garbage right after a boundary.
        assertThrows(MalformedMultipartException.class, () -> scan("g", bytes("--gX\r\n")));
        // A boundary line ended by LF only.
        assertThrows(MalformedMultipartException.class, () -> scan("g", bytes("--g\n")));
        // A part header without a colon.
        assertThrows(MalformedMultipartException.class, () -> scan("g", bytes("--g\r\nnot a header\r\n\r\n")));
        // Endless part headers.
        byte[] endless = bytes("--g\r\nX-Long: " + "h".repeat(20_000));
        assertThrows(MalformedMultipartException.class, () -> scan("g", endless));
        // Truncated: ends inside a part.
        MultipartScanner truncated = scan("g", bytes("--g\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nval"));
        assertFalse(truncated.complete());
        assertThrows(MalformedMultipartException.class, truncated::finish);
        // No boundary at all.
        MultipartScanner none = scan("g", bytes("just some text, no multipart"));
        assertThrows(MalformedMultipartException.class, none::finish);
    }

    @Test
    void headerParams() {
        assertEquals("multipart/form-data", HeaderParams.mainValue("Multipart/Form-Data ; boundary=x"));
        assertEquals("x y", HeaderParams.multipartBoundary("multipart/form-data; boundary=\"x y\""));
        assertEquals("abc", HeaderParams.multipartBoundary("multipart/form-data;charset=utf-8;BOUNDARY=abc"));
        assertNull(HeaderParams.multipartBoundary("multipart/form-data"));
        assertNull(HeaderParams.multipartBoundary("multipart/mixed; boundary=abc"));
        assertNull(HeaderParams.multipartBoundary("application/x-www-form-urlencoded"));
        assertEquals("C:\\dir\\f.txt", HeaderParams.parse("form-data; name=\"f\"; filename=\"C:\\dir\\f.txt\"")
                .get("filename"));
        assertEquals(Map.of("name", "a;b", "filename", ""), HeaderParams.parse("form-data; name=\"a;b\"; filename=\"\""));
    }

    @Test
    void boundaryBytesAreNotMisreadAsPartOfTheValue() {
        // The value ends right before the delimiter; the delimiter split at every position must not leak into it.
        byte[] body = new Multipart("0123456789").field("account_id", "1234").field("access_token", TOKEN).end();
        for (int cut = 0; cut <= body.length; cut++) {
            MultipartScanner scanner = scan("0123456789", body, cut);
            assertEquals("1234", scanner.first("account_id"), "cut " + cut);
            assertEquals(TOKEN, scanner.first("access_token"), "cut " + cut);
        }
        assertTrue(Arrays.equals(body, body.clone()), "the scanner never writes to the input");
    }
}
