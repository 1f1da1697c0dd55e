package io.filehost.authservice.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "filehost.auth")
public interface AuthConfig {

    /**
     * SHA-256 (hex) of the operator key expected in {@code X-Admin-Key}. Unset: the admin API does not exist (404).
     * Only the hash is configured, so the configuration never holds the key itself.
     */
    Optional<String> adminKeySha256();

    /**
     * SHA-256 (hex) of the service key that file-service presents in {@code X-Service-Key} to exchange a caller's
     * internal JWT for a fresh one after a long transfer (docs/internal-api.md, /internal/token-exchange). Unset: every
     * exchange is refused (401). Only the hash is configured, as for the admin key.
     */
    Optional<String> serviceKeySha256();

    Tokens tokens();

    Lockout lockout();

    InternalJwt jwt();

    Cleanup cleanup();

    interface Tokens {
        /** A token unused for this long expires (sliding); a never-used one expires this long after issue. */
        @WithDefault("1H")
        Duration idleTimeout();

        /**
         * Introspection records a use only when the last recorded one is older than this, so a busy token does not
         * cost a write per request. Capped at a tenth of the idle timeout (see TokenService), so short idle times
         * used in tests still slide.
         */
        @WithDefault("30S")
        Duration touchGranularity();

        /** Live tokens per account; issuing one more drops the oldest. */
        @WithDefault("10")
        int maxPerAccount();
    }

    interface Lockout {
        /** Failures (from one client ip, or for one key1) within {@link #window()} that lock it. */
        @WithDefault("5")
        int threshold();

        @WithDefault("15M")
        Duration window();

        /** How long a lock lasts once set. */
        @WithDefault("15M")
        Duration duration();
    }

    interface InternalJwt {
        /** Lifetime of the internal JWT minted by introspection. */
        @WithDefault("5M")
        Duration lifetime();

        /**
         * How old (since its {@code iat}) an internal JWT presented to the token exchange may be. It bounds how long
         * a transfer may last and still complete with its folder check; a leaked service key alone mints nothing.
         */
        @WithDefault("24H")
        Duration exchangeMaxAge();
    }

    interface Cleanup {
        /** How often the cleanup job runs (read by the {@code @Scheduled} expression as well). */
        @WithDefault("1m")
        String every();

        /** Delay of the first run after startup. */
        @WithDefault("30s")
        String delay();

        /** Rows deleted per statement, so a big backlog never holds long locks. */
        @WithDefault("5000")
        int batchSize();
    }
}
