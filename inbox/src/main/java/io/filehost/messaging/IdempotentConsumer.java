package io.filehost.messaging;

import io.filehost.common.failure.FailureLog;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The platform's one consumer shape ("retry topic, then DLQ"), so a consumer holds only its effect:
 * <ol>
 *   <li>parse the record; one that cannot be read goes straight to the DLQ (no retry can fix it);</li>
 *   <li>apply the effect in a new transaction that also records the event id ({@link ProcessedEvents}), so a
 *       redelivered event changes nothing; {@link #afterCommit} then does what must wait for the commit;</li>
 *   <li>a failure is reported through {@link FailureLog} (an outage is one rate-limited WARN, a bug an ERROR with its
 *       trace) and nacks the record: the channel's failure strategy ({@code dead-letter-queue} with the topic set to
 *       {@code <topic>.retry}) forwards it to the retry topic, and from the retry channel to the DLQ.</li>
 * </ol>
 * The record is nacked rather than the exception thrown, so SmallRye does not log every failure again as an ERROR
 * with a stack trace (SRMSG00200) while a database is restarting.
 * <p>
 * A subclass declares both channels and delegates: {@code @Incoming("x") @Blocking CompletionStage<Void>
 * onEvent(Message<String> m) { return receive(m); }} and, for the retry topic, on a one-thread ordered worker pool of
 * its own, {@code return receiveRetry(m);}, which first waits until the record is {@link #retryDelay()} old
 * ({@link RetryTopics}).
 *
 * @param <E> the event
 * @param <R> what the effect hands to {@link #afterCommit}
 */
public abstract class IdempotentConsumer<E, R> {
    private static final Logger LOG = Logger.getLogger(IdempotentConsumer.class);

    private final String consumer;
    private final Function<E, String> eventId;

    @Inject
    ProcessedEvents processed;

    @Inject
    FailureLog failures;

    /**
     * @param consumer the name its event ids are recorded under ({@code processed_event.consumer}); never change it
     * @param eventId  the event's id, unique per event and equal on every delivery of it
     */
    protected IdempotentConsumer(String consumer, Function<E, String> eventId) {
        this.consumer = consumer;
        this.eventId = eventId;
    }

    /** The event, or {@code null} when the payload is not a well-formed event (it then goes to the DLQ). */
    protected abstract E parse(String payload);

    /** The effect, in the transaction that records the event id: runs at most once per event id. */
    protected abstract R apply(E event);

    /** Where unreadable records go. */
    protected abstract Emitter<String> deadLetters();

    /** How long a record waits on the retry topic before it is handled again. */
    protected abstract Duration retryDelay();

    /** Whether this consumer acts on the event at all; one it ignores is neither recorded nor dead-lettered. */
    protected boolean concerns(E event) {
        return true;
    }

    /** After the effect's transaction committed (e.g. deleting objects the effect released); not on redelivery. */
    protected void afterCommit(R result) {
    }

    protected CompletionStage<Void> receive(Message<String> message) {
        try {
            handle(message.getPayload());
            return message.ack();
        } catch (RuntimeException e) {
            failures.report(e, "consumer " + consumer + describe(message));
            return message.nack(e);
        }
    }

    protected CompletionStage<Void> receiveRetry(Message<String> message) throws InterruptedException {
        IncomingKafkaRecordMetadata<?, ?> record = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElse(null);
        if (record != null) {
            RetryTopics.awaitDue(record.getTimestamp().toEpochMilli(), retryDelay());
        }
        return receive(message);
    }

    private void handle(String payload) {
        E event = parse(payload);
        if (event == null) {
            LOG.warnf("Unparseable record of consumer %s sent to the DLQ: %.200s", consumer, payload);
            deadLetters().send(payload == null ? "" : payload).toCompletableFuture().join();
            return;
        }
        if (!concerns(event)) {
            return;
        }
        Applied<R> applied = QuarkusTransaction.requiringNew().call(() -> processed.firstDelivery(consumer,
                eventId.apply(event)) ? new Applied<>(apply(event)) : null);
        if (applied != null) {
            afterCommit(applied.result());
        }
    }

    private static String describe(Message<String> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(r -> " (" + r.getTopic() + "-" + r.getPartition() + "@" + r.getOffset() + ")")
                .orElse("");
    }

    /** The effect ran (its result may be null). */
    private record Applied<R>(R result) {
    }
}
