package io.filehost.authservice;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** No admin key hash configured. */
public class AdminDisabledProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("filehost.auth.admin-key-sha256", "");
    }
}
