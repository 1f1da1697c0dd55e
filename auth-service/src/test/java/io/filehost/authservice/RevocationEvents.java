package io.filehost.authservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.filehost.common.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Reads {@code auth.token-revoked} like a gateway replica would, from the end of the topic as it was when opened, so
 * a test sees only what it caused.
 */
public final class RevocationEvents implements AutoCloseable {
    public record Event(String key, JsonNode value) {
    }

    private final KafkaConsumer<String, String> consumer;
    private final List<Event> seen = new ArrayList<>();

    private RevocationEvents(KafkaConsumer<String, String> consumer) {
        this.consumer = consumer;
    }

    public static RevocationEvents fromNow() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties);
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.TOKEN_REVOKED, Duration.ofSeconds(15)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        assertFalse(partitions.isEmpty(), "topic " + Topics.TOKEN_REVOKED + " is missing (deploy/local/infra.sh up)");
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end offsets now, before the test acts
        return new RevocationEvents(consumer);
    }

    /** The first event (since opening) that matches, waiting up to {@code timeout}; fails the test otherwise. */
    public Event await(Predicate<Event> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Event event : seen) {
                if (match.test(event)) {
                    return event;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no matching TokenRevoked event within " + timeout + "; seen: " + seen);
            }
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                try {
                    seen.add(new Event(record.key(), Fixtures.JSON.readTree(record.value())));
                } catch (Exception e) {
                    throw new AssertionError("event value is not JSON: " + record.value(), e);
                }
            }
        }
    }

    public Event awaitTokenHash(String tokenHash) {
        return await(e -> tokenHash.equals(e.value().path("tokenHash").asText(null)), Duration.ofSeconds(20));
    }

    /** The "every token of the account" event (tokenHash null). */
    public Event awaitAllTokensOf(String accountId) {
        return await(e -> accountId.equals(e.key()) && e.value().get("tokenHash") != null
                && e.value().get("tokenHash").isNull(), Duration.ofSeconds(20));
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
