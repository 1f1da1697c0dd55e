package io.filehost.gateway;

import io.filehost.common.api.ApiMessages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streams that break on one side must break on the other; Expect: 100-continue is answered only when it may. */
@QuarkusTest
@QuarkusTestResource(FakeServices.class)
class GatewayStreamingFailureTest extends GatewayTestSupport {

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", RestAssured.port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static String head(String pathAndQuery, String boundary, long length, String requestId, String extra) {
        return "POST " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: " + newClientIp()
                + "\r\nX-Request-Id: " + requestId + "\r\nContent-Type: multipart/form-data; boundary=" + boundary
                + "\r\nContent-Length: " + length + "\r\n" + extra + "\r\n";
    }

    /** Reads one response head (status line and headers) and returns it. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static String readBody(InputStream in, String head) throws IOException {
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Test
    void clientDisconnectingMidUploadAbortsTheUpstreamRequest() throws Exception {
        String id = newRequestId();
        byte[] partHead = ("--abc\r\nContent-Disposition: form-data; name=\"upload_file\"; filename=\"x.bin\"\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head("/api/v2/file/upload?access_token=" + token(210) + "&account_id=210", "abc",
                    50_000_000, id, "").getBytes(StandardCharsets.US_ASCII));
            out.write(partHead);
            out.write(Multipart.randomBytes(2 * 1024 * 1024, 21));
            out.flush();
            // Let the gateway authenticate and start forwarding, then vanish mid-body.
            Thread.sleep(500);
        }
        FakeServices.Recorded aborted = fakes().await(r -> id.equals(r.header("X-Request-Id")), 10_000);
        assertTrue(aborted.aborted(), "file-service saw the upload end normally");
        assertTrue(aborted.length() < 50_000_000);
    }

    @Test
    void serviceDyingMidUploadIs503ForTheClient() throws Exception {
        Multipart multipart = new Multipart("dies");
        byte[] body = multipart.field("access_token", token(211)).field("account_id", "211")
                .file("upload_file", "x.bin", Multipart.randomBytes(8 * 1024 * 1024, 22)).end();
        String id = newRequestId();
        HttpResponse<String> response = rawPost("/api/v2/file/upload", multipart.contentType(),
                BodyPublishers.ofByteArray(body), Map.of("X-Request-Id", id, "X-Fake-Abort-After", "1048576"));
        assertEquals(503, response.statusCode(), response.body());
        assertTrue(response.body().contains(ApiMessages.SERVICE_UNAVAILABLE), response.body());
        assertTrue(fakes().await(r -> id.equals(r.header("X-Request-Id")), 5000).aborted());
    }

    @Test
    void expectContinueIsAnsweredAfterAuthenticationOnly() throws Exception {
        byte[] body = new Multipart("ec").file("upload_file", "x.bin", Multipart.randomBytes(100_000, 23)).end();

        String id = newRequestId();
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(head("/api/v2/file/upload?access_token=" + token(212) + "&account_id=212", "ec", body.length, id,
                    "Expect: 100-continue\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertTrue(readHead(in).startsWith("HTTP/1.1 100 Continue"));
            out.write(body);
            out.flush();
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            assertTrue(readBody(in, head).contains("\"service\":\"file\""));
        }
        assertEquals(GatewayUploadTest.md5(body), fakes().awaitRequest(id).md5());

        String refused = newRequestId();
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(head("/api/v2/file/upload?access_token=wrong&account_id=212", "ec", body.length, refused,
                    "Expect: 100-continue\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The refusal comes instead of 100 Continue: the client never sends the file.
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            assertTrue(readBody(in, head).contains(ApiMessages.INVALID_TOKEN));
        }
        assertFalse(fakes().anyRequest(r -> refused.equals(r.header("X-Request-Id"))));
    }

    @Test
    void aServiceAnsweringBeforeTheBodyEndsIsRelayedAtOnceAndTheConnectionClosed() throws Exception {
        // Issue 11 §3: file-service refuses an upload (quota) after 1 MiB of 8; the client must hear it then, and
        // the gateway must stop relaying and close the client's connection rather than read the other 7 MiB.
        byte[] partHead = ("--early\r\nContent-Disposition: form-data; name=\"upload_file\"; filename=\"x.bin\"\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = Multipart.randomBytes(64 * 1024, 24);
        int chunks = 128;
        String id = newRequestId();
        long sentWhenAnswered;
        String head;
        boolean closed;
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(head("/api/v2/file/upload?access_token=" + token(213) + "&account_id=213", "early",
                    partHead.length + (long) chunks * chunk.length, id, "X-Fake-Refuse-After: 1048576\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(partHead);
            java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < chunks; i++) {
                        out.write(chunk);
                        out.flush();
                        sent.addAndGet(chunk.length);
                        Thread.sleep(20); // about 3 MiB/s
                    }
                } catch (IOException | InterruptedException e) {
                    // the gateway closed the connection: stop sending
                }
            });
            head = readHead(in);
            sentWhenAnswered = sent.get();
            String body = readBody(in, head);
            assertTrue(body.contains("fake refusal"), body);
            int next;
            try {
                next = in.read();
            } catch (IOException reset) {
                next = -1;
            }
            closed = next < 0;
            sender.interrupt();
        }
        assertTrue(head.startsWith("HTTP/1.1 200"), head); // 413 mapped for the compatible tenant
        assertTrue(head.toLowerCase(Locale.ROOT).contains("connection: close"), head);
        assertTrue(sentWhenAnswered < 4L * 1024 * 1024, "answered after " + sentWhenAnswered + " bytes");
        assertTrue(closed, "the connection is closed after the answer");
        assertTrue(fakes().await(r -> id.equals(r.header("X-Request-Id")), 5000).length() < 4L * 1024 * 1024);
    }
}
