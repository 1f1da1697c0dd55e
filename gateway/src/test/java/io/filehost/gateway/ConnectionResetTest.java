package io.filehost.gateway;

import io.filehost.common.api.ApiMessages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer that vanishes with a TCP reset (a killed service replica, a client gone) is no error of the gateway's:
 * Vert.x would log it at ERROR as an unhandled connection failure ({@code ConnectionBase: Connection reset}); the
 * gateway's handler logs it at DEBUG (enabled for the test profile, so the test sees it).
 */
@QuarkusTest
@QuarkusTestResource(FakeServices.class)
class ConnectionResetTest extends GatewayTestSupport {
    private static final String HANDLER_CATEGORY = "io.filehost.gateway.proxy.ConnectionFailures";

    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final Handler capture = new LogCapture(record -> {
        String line = record.getLoggerName() + ": " + LogCapture.text(record)
                + (record.getThrown() == null ? "" : " " + record.getThrown());
        if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
            errors.add(line);
        } else if (HANDLER_CATEGORY.equals(record.getLoggerName())) {
            handled.add(line);
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
    void aServiceResettingItsConnectionIs503AndNoError() {
        String body = client(newRequestId()).header("X-Fake-Reset", "1")
                .get("/api/v2/file/info?" + creds(231) + "&file_id=1")
                .then().statusCode(503).extract().asString();
        assertTrue(body.contains(ApiMessages.SERVICE_UNAVAILABLE), body);
        // The connection's failure reached its handler before the request's (which answered the 503).
        assertTrue(handled.stream().anyMatch(l -> l.toLowerCase(Locale.ROOT).contains("reset")),
                "handled: " + handled + ", errors: " + errors);
        assertEquals(List.of(), errors.stream().filter(e -> e.toLowerCase(Locale.ROOT).contains("reset")).toList());
    }
}
