package io.filehost.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A consumer of the platform's shape whose effect fails on demand, as a database outage would. Payload
 * {@code event:<id>}; anything else is unreadable. A singleton (no client proxy), so the test sees its fields.
 */
@Singleton
public class FlakyConsumer extends IdempotentConsumer<String, String> {
    record Attempt(String eventId, Instant at, boolean failed) {
    }

    final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    final List<String> committed = new CopyOnWriteArrayList<>();

    public FlakyConsumer() {
        super("inbox-test", eventId -> eventId);
    }

    @Inject
    @Channel("inbox-test-dlq")
    Emitter<String> deadLetters;

    @ConfigProperty(name = "inbox-test.retry-delay")
    Duration retryDelay;

    @Incoming("inbox-test")
    @Blocking
    public java.util.concurrent.CompletionStage<Void> onEvent(Message<String> message) {
        return receive(message);
    }

    @Incoming("inbox-test-retry")
    @Blocking(value = "inbox-test-retry-pool", ordered = true)
    public java.util.concurrent.CompletionStage<Void> onRetry(Message<String> message) throws InterruptedException {
        return receiveRetry(message);
    }

    @Override
    protected String apply(String eventId) {
        AtomicInteger left = failuresLeft.get(eventId);
        boolean fail = left != null && left.getAndDecrement() > 0;
        attempts.add(new Attempt(eventId, Instant.now(), fail));
        if (fail) {
            throw new IllegalStateException("could not apply " + eventId,
                    new SQLTransientConnectionException("simulated: the database refused the connection"));
        }
        return eventId;
    }

    @Override
    protected void afterCommit(String eventId) {
        committed.add(eventId);
    }

    @Override
    protected String parse(String payload) {
        return payload != null && payload.startsWith("event:") ? payload.substring("event:".length()) : null;
    }

    @Override
    protected Emitter<String> deadLetters() {
        return deadLetters;
    }

    @Override
    protected Duration retryDelay() {
        return retryDelay;
    }
}
