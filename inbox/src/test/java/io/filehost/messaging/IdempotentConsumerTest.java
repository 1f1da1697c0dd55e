package io.filehost.messaging;

import io.filehost.common.testing.LogCapture;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The consumer shape against the real broker and database: DLQ, retry after the delay, idempotency, the log. */
@QuarkusTest
@QuarkusTestResource(KafkaTestTopics.class)
class IdempotentConsumerTest {
    private static final Map<String, Object> KAFKA = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");

    @Inject
    FlakyConsumer consumer;

    private KafkaProducer<String, String> producer;

    @BeforeEach
    void producer() {
        producer = new KafkaProducer<>(KAFKA, new StringSerializer(), new StringSerializer());
    }

    @AfterEach
    void close() {
        producer.close();
    }

    @Test
    void anUnreadableRecordGoesStraightToTheDeadLetterTopic() throws Exception {
        String garbage = "garbage " + UUID.randomUUID();
        try (KafkaConsumer<String, String> dlq = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092"), new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(KafkaTestTopics.DLQ, 0));
            dlq.assign(partitions);
            dlq.seekToEnd(partitions);
            partitions.forEach(dlq::position);
            long sent = System.currentTimeMillis();
            send(garbage);
            boolean found = false;
            while (!found && System.currentTimeMillis() < sent + 60_000) {
                for (var record : dlq.poll(Duration.ofMillis(500))) {
                    found |= garbage.equals(record.value());
                }
            }
            assertTrue(found, "the unreadable record reached " + KafkaTestTopics.DLQ);
        }
    }

    @Test
    void aFailingEffectIsRetriedFromTheRetryTopicAfterTheDelayAndAppliedOnce() throws Exception {
        String id = UUID.randomUUID().toString();
        consumer.failuresLeft.put(id, new AtomicInteger(1));
        try (LogCapture log = LogCapture.start()) {
            send("event:" + id);
            await("the retried event committed", () -> consumer.committed.contains(id));

            List<FlakyConsumer.Attempt> attempts = consumer.attempts.stream().filter(a -> a.eventId().equals(id))
                    .toList();
            assertEquals(2, attempts.size(), "one failed attempt, one retry: " + attempts);
            assertTrue(attempts.get(0).failed());
            long waited = Duration.between(attempts.get(0).at(), attempts.get(1).at()).toMillis();
            assertTrue(waited >= consumer.retryDelay.toMillis() - 50, "retried after " + waited + " ms");

            // The outage went through FailureLog: one WARN line, no stack trace, no SmallRye ERROR (SRMSG00200).
            List<LogRecord> problems = log.atOrAbove(Level.WARNING);
            assertTrue(problems.stream().anyMatch(r -> LogCapture.text(r).contains("database unavailable")
                    && r.getThrown() == null), "the outage WARN: " + problems.stream().map(LogCapture::text).toList());
            assertFalse(problems.stream().anyMatch(r -> r.getLevel() == Level.SEVERE),
                    "no ERROR: " + problems.stream().map(LogCapture::text).toList());
        }
    }

    @Test
    void aRedeliveredEventIsAppliedOnce() throws Exception {
        String id = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        send("event:" + id);
        send("event:" + id);
        send("event:" + marker); // one partition: handled after both copies
        await("the marker event committed", () -> consumer.committed.contains(marker));
        assertEquals(1, consumer.attempts.stream().filter(a -> a.eventId().equals(id)).count());
        assertEquals(1, consumer.committed.stream().filter(id::equals).count());
        assertNull(consumer.failuresLeft.get(id));
    }

    private void send(String payload) throws Exception {
        producer.send(new ProducerRecord<>(KafkaTestTopics.EVENTS, null, payload)).get(10, TimeUnit.SECONDS);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
