package io.filehost.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;

/**
 * The platform's failure strategy is "retry topic, then DLQ": a record that failed is written to {@code <topic>.retry}
 * and handled once more there. Retrying at once would hit the same database blip or broker hiccup that failed it and
 * send it to the DLQ within milliseconds; a retry consumer therefore waits until the record has been on the retry
 * topic for the configured delay, measured from the record's own timestamp (when the failure strategy wrote it), so a
 * restarted consumer does not wait again for records that are already due.
 * <p>
 * The waiting happens on the retry channel's own one-thread worker pool (ordered, like the partition), never on the
 * Kafka polling thread: the connector keeps polling (and pauses the partition) meanwhile, so the consumer stays in its
 * group. (SmallRye's {@code delayed-retry-topic} strategy was not used: it needs topics named {@code <name>_<delayMs>}
 * and reads them with one consumer group per client id, so every replica would retry every record.)
 */
public final class RetryTopics {
    private RetryTopics() {
    }

    /** Blocks until {@code record} is {@code delay} old. */
    public static void awaitDue(ConsumerRecord<?, ?> record, Duration delay) throws InterruptedException {
        awaitDue(record.timestamp(), delay);
    }

    /** Blocks until a record written at {@code timestampMillis} is {@code delay} old. */
    public static void awaitDue(long timestampMillis, Duration delay) throws InterruptedException {
        long wait = timestampMillis + delay.toMillis() - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }
}
