package io.filehost.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The access log (category io.filehost.gateway.access): one line per request, the fields, never a secret. */
@QuarkusTest
@QuarkusTestResource(FakeServices.class)
class AccessLogTest extends GatewayTestSupport {
    private static final String CATEGORY = "io.filehost.gateway.access";
    private static final Pattern LINE = Pattern.compile("request_id=(\\S+) tenant=(\\S+) account=(\\S+) endpoint=(\\S+) "
            + "method=(\\S+) status=(\\d+) outcome=(\\S*) bytes_in=(\\d+) bytes_out=(\\d+) duration_ms=(\\d+) "
            + "client_ip=(\\S+)");

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture =
            new LogCapture(record -> lines.add(record.getLevel() + " " + LogCapture.text(record)));

    @BeforeEach
    void attach() {
        Logger.getLogger(CATEGORY).addHandler(capture);
    }

    @AfterEach
    void detach() {
        Logger.getLogger(CATEGORY).removeHandler(capture);
    }

    private List<String> linesOf(String requestId) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            List<String> found = lines.stream().filter(l -> l.contains("request_id=" + requestId + " ")).toList();
            if (!found.isEmpty()) {
                try {
                    Thread.sleep(200); // a second line, if one were written, would be there by now
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return lines.stream().filter(l -> l.contains("request_id=" + requestId + " ")).toList();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        fail("no access log line for " + requestId + "; captured: " + lines);
        return List.of();
    }

    @Test
    void oneLineWithTheFieldsAndNoSecrets() {
        String id = newRequestId();
        String token = token(9301);
        String key1 = "K1secretK1secretK1secretK1secretK1secretK1secretK1secretK1secret";
        String key2 = "K2secretK2secretK2secretK2secretK2secretK2secretK2secretK2secret";
        client(id).queryParam("access_token", token).queryParam("account_id", "9301")
                .queryParam("key1", key1).queryParam("key2", key2).queryParam("file_id", "77")
                .formParam("filename", "x.txt")
                .post("/api/v2/file/info").then().statusCode(200);

        List<String> found = linesOf(id);
        assertEquals(1, found.size(), found.toString());
        String line = found.get(0);
        assertTrue(line.startsWith("INFO "), line);
        Matcher m = LINE.matcher(line);
        assertTrue(m.find(), line);
        assertEquals("1", m.group(2));
        assertEquals("9301", m.group(3));
        assertEquals("file/info", m.group(4));
        assertEquals("POST", m.group(5));
        assertEquals("200", m.group(6));
        assertTrue(Long.parseLong(m.group(8)) > 0, "bytes_in " + line);
        assertTrue(Long.parseLong(m.group(9)) > 0, "bytes_out " + line);
        assertTrue(m.group(11).startsWith("10."), line);
        for (String secret : new String[] {token, key1, key2, "access_token", "key1=", "key2=", "file_id", "?"}) {
            assertFalse(line.contains(secret), "the line shows " + secret + ": " + line);
        }
    }

    @Test
    void authorizeLogsNeitherKey() {
        String id = newRequestId();
        String key1 = "A1secretA1secretA1secretA1secretA1secretA1secretA1secretA1secret";
        String key2 = "A2secretA2secretA2secretA2secretA2secretA2secretA2secretA2secret";
        client(id).get("/api/v2/authorize?key1=" + key1 + "&key2=" + key2).then().statusCode(200);
        String line = linesOf(id).get(0);
        assertTrue(line.contains(" endpoint=authorize "), line);
        assertTrue(line.contains(" account=- "), line);
        assertFalse(line.contains(key1) || line.contains(key2), line);
    }

    @Test
    void publicPathsAreNamedNotQuoted() {
        String id = newRequestId();
        String downloadToken = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        client(id).get("/Zq9x?download_token=" + downloadToken).then().statusCode(200);
        String line = linesOf(id).get(0);
        assertTrue(line.contains(" endpoint=public/file "), line);
        assertTrue(line.contains(" bytes_out=10 "), line);
        assertFalse(line.contains("Zq9x") || line.contains(downloadToken) || line.contains("download_token"), line);
    }

    @Test
    void unknownEndpointsAreNotQuotedEither() {
        String id = newRequestId();
        client(id).get("/api/v2/secretive-endpoint/x?" + creds(9302)).then().statusCode(404);
        String line = linesOf(id).get(0);
        assertTrue(line.contains(" endpoint=unknown "), line);
        assertTrue(line.contains(" status=404 "), line);
        assertFalse(line.contains("secretive"), line);
    }

    @Test
    void theCategoryLogsAtInfo() {
        assertTrue(Logger.getLogger(CATEGORY).isLoggable(Level.INFO));
        management().get("/q/health/live").then().statusCode(200);
    }
}
