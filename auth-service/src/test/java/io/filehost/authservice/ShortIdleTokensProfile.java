package io.filehost.authservice;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** Tokens expire after 3 idle seconds; the cleanup deletes in batches of 2 to exercise its loop. */
public class ShortIdleTokensProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "filehost.auth.tokens.idle-timeout", "3S",
                "filehost.auth.cleanup.batch-size", "2");
    }
}
