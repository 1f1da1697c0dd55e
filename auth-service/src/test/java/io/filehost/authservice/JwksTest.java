package io.filehost.authservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.filehost.common.internal.InternalClaims;
import io.filehost.common.security.Secrets;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.filehost.authservice.Fixtures.account;
import static io.filehost.authservice.Fixtures.json;
import static io.filehost.authservice.Fixtures.keys;
import static io.filehost.authservice.Fixtures.tenant;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class JwksTest {

    @Test
    void publishesOneRsaSigningKey() {
        Response response = given().get("/internal/jwks");
        assertEquals(200, response.statusCode());
        JsonNode body = json(response);
        assertEquals(List.of("keys"), keys(body));
        assertEquals(1, body.get("keys").size());
        JsonNode key = body.get("keys").get(0);
        assertEquals(List.of("kty", "use", "alg", "kid", "n", "e"), keys(key));
        assertEquals("RSA", key.get("kty").asText());
        assertEquals("sig", key.get("use").asText());
        assertEquals("RS256", key.get("alg").asText());
        assertEquals("AQAB", key.get("e").asText());
        assertTrue(key.get("n").asText().matches("[A-Za-z0-9_-]{300,}"), "2048-bit modulus, base64url");
        assertTrue(key.get("kid").asText().matches("[A-Za-z0-9_-]{43}"), "RFC 7638 SHA-256 thumbprint");
    }

    @Test
    void introspectionJwtsVerifyAgainstTheKeySet() throws Exception {
        Fixtures.TenantRef tenant = tenant();
        Fixtures.AccountRef account = account(tenant, "paid");
        String token = Fixtures.authorize(account);
        JsonNode introspection = json(Fixtures.introspectRaw(account.tenantId(), token, account.accountId()));
        String jwt = introspection.get("jwt").asText();

        JsonWebKeySet keySet = new JsonWebKeySet(given().get("/internal/jwks").asString());
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(keySet.getJsonWebKeys()))
                .setExpectedIssuer(InternalClaims.ISSUER)
                .setExpectedAudience(InternalClaims.AUDIENCE)
                .setRequireExpirationTime()
                .setRequireSubject()
                .build();
        JwtClaims claims = consumer.processToClaims(jwt);

        JsonWebStructure header = JsonWebStructure.fromCompactSerialization(jwt);
        assertEquals("RS256", header.getAlgorithmHeaderValue());
        assertEquals(keySet.getJsonWebKeys().get(0).getKeyId(), header.getKeyIdHeaderValue());

        assertEquals(account.accountId(), claims.getSubject());
        assertEquals(account.tenantId(), claims.getStringClaimValue(InternalClaims.TENANT_ID));
        assertEquals(account.username(), claims.getStringClaimValue(InternalClaims.USERNAME));
        assertEquals(Secrets.sha256Hex(token), claims.getStringClaimValue(InternalClaims.TOKEN_HASH));
        assertEquals(introspection.get("expiresAt").asLong(), claims.getExpirationTime().getValue());
        Map<String, Object> pkg = claims.getClaimValue(InternalClaims.PACKAGE, Map.class);
        assertEquals(Long.parseLong(tenant.packageId("paid")), ((Number) pkg.get("package_id")).longValue());
        assertEquals(Boolean.TRUE, pkg.get("can_upload"));
        assertEquals(10L * 1024 * 1024 * 1024, ((Number) pkg.get("max_upload_size")).longValue());
        assertEquals(100, ((Number) pkg.get("concurrent_uploads")).intValue());
        assertEquals(50, ((Number) pkg.get("max_remote_download_urls")).intValue());

        // a tampered JWT does not verify
        String[] parts = jwt.split("\\.");
        String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        assertThrows(InvalidJwtException.class, () -> consumer.processToClaims(tampered));
    }
}
