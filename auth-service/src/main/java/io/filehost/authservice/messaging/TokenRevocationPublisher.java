package io.filehost.authservice.messaging;

import io.filehost.common.events.TokenRevoked;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletableFuture;

/**
 * Sends {@link TokenRevoked} to {@code auth.token-revoked} (key = account id, so one account's events stay in order),
 * after the revoking transaction has committed: a rolled-back revocation never evicts anything.
 *
 * <p>Why no transactional outbox (design.md uses one for imports and folder events): this event only evicts the
 * gateways' introspection cache, whose entries live a few seconds (at most 30 s). The database, where the token is
 * already gone, stays the source of truth; a lost event therefore means a revoked token may keep working for at most
 * one cache lifetime, never longer. An outbox would guarantee delivery of something that heals itself within
 * seconds, at the price of a relay and a table per service. So a failed send is not retried through the database; it
 * is logged at ERROR and counted ({@code filehost_auth_token_revocation_publish_failures_total}), so a broken broker
 * is seen instead of silently weakening revocation. The client's request still succeeds: what it asked for (the
 * token removed) did happen, and failing it would only make it retry something already done.
 */
@ApplicationScoped
public class TokenRevocationPublisher {
    private static final Logger LOG = Logger.getLogger(TokenRevocationPublisher.class);
    public static final String CHANNEL = "token-revoked";

    private final Emitter<TokenRevoked> emitter;
    private final Counter failures;

    @Inject
    public TokenRevocationPublisher(@Channel(CHANNEL) Emitter<TokenRevoked> emitter, MeterRegistry registry) {
        this.emitter = emitter;
        this.failures = Counter.builder("filehost.auth.token.revocation.publish.failures")
                .description("TokenRevoked events that could not be sent to Kafka")
                .register(registry);
    }

    void onRevoked(@Observes(during = TransactionPhase.AFTER_SUCCESS) TokenRevoked event) {
        publish(event);
    }

    void publish(TokenRevoked event) {
        Message<TokenRevoked> message = Message.of(event)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.accountId()).build())
                .withAck(() -> CompletableFuture.completedFuture(null))
                .withNack(failure -> {
                    failed(event, failure);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
        } catch (RuntimeException e) {
            // Emitter refused the message outright (buffer full, channel cancelled).
            failed(event, e);
        }
    }

    private void failed(TokenRevoked event, Throwable failure) {
        failures.increment();
        LOG.errorf("Could not publish TokenRevoked for account %s (tenant %s, %s): gateways may accept the revoked "
                        + "token until their cache entry expires. Cause: %s", event.accountId(), event.tenantId(),
                event.tokenHash() == null ? "all tokens" : "one token", failure.toString());
    }
}
