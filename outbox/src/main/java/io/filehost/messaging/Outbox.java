package io.filehost.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes an event into the outbox inside the caller's transaction: the change and its event commit together or not
 * at all (no dual write). Publishing is the relay's job; a commit wakes it so the usual delay is milliseconds, and
 * the relay's poll covers everything else (a crash between commit and publish, Kafka down).
 */
@ApplicationScoped
public class Outbox {
    @Inject
    ObjectMapper json;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    OutboxRelay relay;

    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(String topic, String key, Object payload) {
        OutboxEvent event = new OutboxEvent();
        event.topic = topic;
        event.eventKey = key;
        event.payload = toJson(payload);
        event.headers = toJson(traceHeaders());
        event.createdAt = Instant.now();
        event.persist();
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    relay.wake();
                }
            }
        });
    }

    private static Map<String, String> traceHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        GlobalOpenTelemetry.getPropagators().getTextMapPropagator()
                .inject(Context.current(), headers, (carrier, name, value) -> carrier.put(name, value));
        return headers;
    }

    private String toJson(Object value) {
        try {
            return value instanceof String s ? s : json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event payload cannot be written as JSON", e);
        }
    }
}
