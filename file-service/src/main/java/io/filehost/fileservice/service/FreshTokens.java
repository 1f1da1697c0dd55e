package io.filehost.fileservice.service;

import io.filehost.common.api.ApiException;
import io.filehost.common.api.ApiMessages;
import io.filehost.fileservice.client.AuthClient;
import io.filehost.fileservice.client.RemoteCall;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * A fresh internal JWT for the caller of a request whose own JWT may have expired during a long transfer: a
 * {@code folder_id} that arrives after an upload's file part is checked with it, because a transfer may take hours and
 * the request's JWT lives minutes. auth-service signs the new JWT after checking file-service's service key
 * ({@code filehost.files.service-key}) and re-reading the account, so a disabled account is refused here.
 */
@ApplicationScoped
public class FreshTokens {
    private static final Logger LOG = Logger.getLogger(FreshTokens.class);

    @Inject
    AuthClient auth;

    /** 401 if auth-service refuses the caller (account no longer active); 503 if it cannot answer. */
    public String exchange(String requestJwt, String requestId) {
        try {
            return auth.exchange(requestJwt, requestId);
        } catch (RemoteCall.Refused e) {
            LOG.warnf("request %s: auth-service refused the token exchange: %s", requestId, e.getMessage());
            throw ApiException.unauthorized(ApiMessages.INVALID_TOKEN);
        } catch (RuntimeException e) {
            throw RemoteCall.unavailable(requestId, "token exchange", e);
        }
    }
}
