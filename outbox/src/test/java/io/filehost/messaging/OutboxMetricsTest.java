package io.filehost.messaging;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** outbox.backlog and outbox.published, read from /q/metrics as Prometheus scrapes them. */
@QuarkusTest
class OutboxMetricsTest {
    private static final String TOPIC = "test.messaging.outbox";
    private static final String BACKLOG = "outbox_backlog\\{service=\"messaging-test\"}";
    private static final String PUBLISHED = "outbox_published_total\\{service=\"messaging-test\",topic=\""
            + Pattern.quote(TOPIC) + "\"}";

    @Inject
    Outbox outbox;

    @Inject
    OutboxRelay relay;

    /**
     * One scenario, in order: rows Kafka refuses (an invalid topic name) stay in the outbox and the gauge shows
     * them; once they are gone, good rows are published, counted, and the backlog is back at zero.
     */
    @Test
    void backlogShowsWaitingRowsAndPublishedEventsAreCounted() {
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < 2; i++) {
                OutboxEvent event = new OutboxEvent();
                event.topic = "not a valid topic!";
                event.eventKey = "stuck-" + i;
                event.payload = "{}";
                event.createdAt = Instant.now();
                event.persist();
            }
        });
        await("backlog of the two refused rows", () -> metric(BACKLOG, -2) == 2);
        assertEquals(2, relay.backlog());

        QuarkusTransaction.requiringNew().run(() -> OutboxEvent.delete("topic", "not a valid topic!"));
        double before = metric(PUBLISHED, 0);
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < 3; i++) {
                outbox.publish(TOPIC, "key-" + i, Map.of("n", i));
            }
        });
        await("three published, backlog empty", () -> metric(PUBLISHED, 0) >= before + 3 && metric(BACKLOG, -2) == 0);
        assertEquals(before + 3, metric(PUBLISHED, 0));
        assertEquals(0, relay.backlog());
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static double metric(String nameAndTags, double absent) {
        String body = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + nameAndTags + " (\\S+)(?: #.*)?$").matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : absent;
    }
}
