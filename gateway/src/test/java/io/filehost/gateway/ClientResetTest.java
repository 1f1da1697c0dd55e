package io.filehost.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client that vanishes (its connection reset mid-upload) is no error of the gateway's: nothing at ERROR. */
@QuarkusTest
@QuarkusTestResource(FakeServices.class)
class ClientResetTest extends GatewayTestSupport {
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<String> access = new CopyOnWriteArrayList<>();
    private final Handler capture = new LogCapture(record -> {
        String message = LogCapture.text(record);
        if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
            errors.add(record.getLoggerName() + ": " + message
                    + (record.getThrown() == null ? "" : " " + record.getThrown()));
        }
        if ("io.filehost.gateway.access".equals(record.getLoggerName())) {
            access.add(message);
        }
    });

    @BeforeEach
    void attach() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void detach() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void aClientResettingItsConnectionMidUploadIsNotLoggedAsAnError() throws Exception {
        String id = newRequestId();
        String head = "POST /api/v2/file/upload?access_token=" + token(230) + "&account_id=230 HTTP/1.1\r\n"
                + "Host: localhost\r\nX-Forwarded-For: " + newClientIp() + "\r\nX-Request-Id: " + id
                + "\r\nContent-Type: multipart/form-data; boundary=rst\r\nContent-Length: 50000000\r\n\r\n"
                + "--rst\r\nContent-Disposition: form-data; name=\"upload_file\"; filename=\"x.bin\"\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(Multipart.randomBytes(1024 * 1024, 23));
            out.flush();
            // The client vanishes with a TCP reset (closing with SO_LINGER 0), mid-body.
            socket.setSoLinger(true, 0);
        }
        // The access line is written after the connection's failure went through Vert.x (and its log, if any).
        String line = awaitAccessLine(id);
        assertTrue(line.contains("status=499") && line.contains("outcome=client-closed"), line);
        assertEquals(List.of(), errors.stream().filter(e -> e.toLowerCase().contains("reset")).toList());
    }

    private String awaitAccessLine(String requestId) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            for (String line : access) {
                if (line.contains("request_id=" + requestId + " ")) {
                    return line;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no access line for " + requestId);
    }
}
