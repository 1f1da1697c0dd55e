package io.filehost.messaging;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The trace crosses the outbox: a row written inside an active span is published by the relay (its own thread, long
 * after the span may have ended) with that span's W3C trace context in the Kafka record headers, read back here from
 * the real topic with a plain consumer.
 */
@QuarkusTest
class OutboxTracePropagationTest {
    private static final String TOPIC = "test.messaging.outbox";

    @Inject
    Outbox outbox;

    @Inject
    Tracer tracer;

    @Inject
    OpenTelemetry openTelemetry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaConsumer<String, String> consumer;

    /** No group: every partition assigned and positioned at its end before anything is written. */
    @BeforeEach
    void consumer() {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "outbox-trace-test-" + UUID.randomUUID()),
                new StringDeserializer(), new StringDeserializer());
        // On a fresh broker the topic appears with the first row the relay publishes (see partitions()).
        List<TopicPartition> partitions = partitions();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    @AfterEach
    void close() {
        consumer.close(Duration.ofSeconds(2));
    }

    @Test
    void aRowWrittenInsideASpanIsPublishedWithThatSpansTraceContext() {
        String key = "traced-" + UUID.randomUUID();
        SpanContext written;
        Span span = tracer.spanBuilder("outbox-trace-test").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            written = span.getSpanContext();
            QuarkusTransaction.requiringNew().run(() -> outbox.publish(TOPIC, key, Map.of("traced", true)));
        } finally {
            span.end();
        }
        assertTrue(written.isValid(), "tracing is on in the test app, so the span is real");

        ConsumerRecord<String, String> record = awaitRecord(key);
        String traceparent = header(record, "traceparent");
        assertNotNull(traceparent, "the published record carries a traceparent");
        assertEquals(1, count(record, "traceparent"), "exactly one traceparent");
        assertEquals("00-" + written.getTraceId() + "-" + written.getSpanId() + "-01", traceparent,
                "the writer's trace id, with the writer's span as the parent");
        assertNotNull(header(record, "outbox-id"));
    }

    @Test
    void anIncomingTraceStateTravelsWithTheTraceparent() {
        // A remote parent, as a service sees it after an instrumented HTTP request with both W3C headers.
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        Context remote = openTelemetry.getPropagators().getTextMapPropagator().extract(Context.root(),
                Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01", "tracestate", "filehost=st,vendor=x"),
                new io.opentelemetry.context.propagation.TextMapGetter<Map<String, String>>() {
                    @Override
                    public Iterable<String> keys(Map<String, String> carrier) {
                        return carrier.keySet();
                    }

                    @Override
                    public String get(Map<String, String> carrier, String name) {
                        return carrier == null ? null : carrier.get(name);
                    }
                });
        String key = "tracestate-" + UUID.randomUUID();
        Span span = tracer.spanBuilder("outbox-trace-test-child").setParent(remote).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            QuarkusTransaction.requiringNew().run(() -> outbox.publish(TOPIC, key, Map.of("traced", true)));
        } finally {
            span.end();
        }

        ConsumerRecord<String, String> record = awaitRecord(key);
        String traceparent = header(record, "traceparent");
        assertNotNull(traceparent);
        assertTrue(traceparent.startsWith("00-" + traceId + "-"), traceparent);
        assertEquals("00-" + traceId + "-" + span.getSpanContext().getSpanId() + "-01", traceparent);
        assertEquals("filehost=st,vendor=x", header(record, "tracestate"));
    }

    @Test
    void aRowWrittenOutsideAnySpanCarriesNoTraceContext() {
        String key = "untraced-" + UUID.randomUUID();
        try (Scope ignored = Context.root().makeCurrent()) {
            QuarkusTransaction.requiringNew().run(() -> outbox.publish(TOPIC, key, Map.of("traced", false)));
        }
        ConsumerRecord<String, String> record = awaitRecord(key);
        // The consumer then starts a trace of its own rather than joining a made-up one.
        assertNull(header(record, "traceparent"));
        assertNull(header(record, "tracestate"));
    }

    private List<TopicPartition> partitions() {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            var infos = consumer.partitionsFor(TOPIC, Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            if (System.currentTimeMillis() > deadline) {
                fail("topic " + TOPIC + " has no partitions");
            }
            QuarkusTransaction.requiringNew().run(() -> outbox.publish(TOPIC, "topic-bootstrap", Map.of()));
            sleep();
        }
    }

    private ConsumerRecord<String, String> awaitRecord(String key) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                if (key.equals(record.key())) {
                    return record;
                }
            }
        }
        return fail("no record with key " + key + " on " + TOPIC + " within 30 s");
    }

    private static int count(ConsumerRecord<String, String> record, String name) {
        int n = 0;
        for (Header ignored : record.headers().headers(name)) {
            n++;
        }
        return n;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
