package io.filehost.authservice;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * Internal JWTs live 2 seconds and are refused a second after (smallrye-jwt reads a clock skew of 0 as "unset" and
 * keeps its 60-second default), so a test holds an expired one within seconds.
 */
public class ShortJwtProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("filehost.auth.jwt.lifetime", "2S", "mp.jwt.verify.clock.skew", "1");
    }
}
