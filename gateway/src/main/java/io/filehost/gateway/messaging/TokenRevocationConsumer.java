package io.filehost.gateway.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.filehost.common.events.TokenRevoked;
import io.filehost.gateway.auth.IntrospectionCache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Evicts revoked tokens from this replica's introspection cache ({@code auth.token-revoked}). Every replica has its
 * own consumer group (see application.properties) so each sees every event, and starts at the latest offset: events
 * older than a cache lifetime are irrelevant to a fresh cache.
 *
 * <p>The method never throws: an unreadable message is logged and skipped, because stopping this consumer would
 * silently stretch every revocation to the full cache TTL. (The channel's failure strategy is {@code ignore} as a
 * second guard.)
 */
@ApplicationScoped
public class TokenRevocationConsumer {
    private static final Logger LOG = Logger.getLogger(TokenRevocationConsumer.class);
    public static final String CHANNEL = "token-revoked";

    @Inject
    IntrospectionCache cache;

    @Inject
    ObjectMapper mapper;

    @Incoming(CHANNEL)
    public void onRevoked(String json) {
        if (json == null) {
            return;
        }
        TokenRevoked event;
        try {
            event = mapper.readValue(json, TokenRevoked.class);
        } catch (Exception e) {
            LOG.warnf("Ignoring an unreadable %s message (%d chars): %s", CHANNEL, json.length(), e.getMessage());
            return;
        }
        if (event.tokenHash() != null && !event.tokenHash().isBlank()) {
            cache.evictToken(event.tokenHash());
        } else if (event.accountId() != null && !event.accountId().isBlank()) {
            cache.evictAccount(event.accountId(), event.tenantId());
        } else {
            LOG.warnf("Ignoring a %s message naming neither a token nor an account", CHANNEL);
            return;
        }
        LOG.debugf("Token revocation applied (account %s, %s)", event.accountId(),
                event.tokenHash() == null ? "all tokens" : "one token");
    }
}
