package io.filehost.gateway;

import io.filehost.common.events.TokenRevoked;
import io.filehost.common.events.Topics;
import io.filehost.common.security.Secrets;
import io.filehost.gateway.auth.IntrospectionCache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Eviction by real {@code auth.token-revoked} messages on the local Kafka broker. */
@QuarkusTest
@QuarkusTestResource(FakeServices.class)
class TokenRevocationTest extends GatewayTestSupport {
    private static KafkaProducer<String, String> producer;

    @Inject
    IntrospectionCache cache;

    @BeforeAll
    static void producer() {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.ACKS_CONFIG, "all"));
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    private void send(String accountId, String json) throws Exception {
        producer.send(new ProducerRecord<>(Topics.TOKEN_REVOKED, accountId, json)).get(10, TimeUnit.SECONDS);
    }

    private static String event(String tokenHash, String accountId) {
        return JsonObject.mapFrom(new TokenRevoked(tokenHash, accountId, "1", System.currentTimeMillis())).encode();
    }

    /**
     * Sends until the condition holds: the consumer group is created with offset "latest", so a message sent before
     * the gateway's consumer got its partition would be skipped (by design: it is older than anything cached).
     */
    private void sendUntil(String accountId, String json, BooleanSupplier evicted) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            send(accountId, json);
            long next = System.currentTimeMillis() + 2_000;
            while (System.currentTimeMillis() < next) {
                if (evicted.getAsBoolean()) {
                    return;
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("revocation not applied within 30 s");
    }

    private void call(String token, String accountId) {
        client(newRequestId()).get("/api/v2/file/info?access_token=" + token + "&account_id=" + accountId)
                .then().statusCode(200);
    }

    @Test
    void oneTokenRevoked() throws Exception {
        String token = token(501);
        String hash = Secrets.sha256Hex(token);
        call(token, "501");
        call(token, "501");
        assertEquals(1, fakes().introspections(token), "second call is a cache hit");
        assertTrue(cache.contains(hash));

        sendUntil("501", event(hash, "501"), () -> !cache.contains(hash));
        call(token, "501");
        assertEquals(2, fakes().introspections(token), "after the revocation auth-service is asked again");
    }

    @Test
    void everyTokenOfAnAccountRevokedAndPoisonMessagesSkipped() throws Exception {
        String first = token(502);
        String second = token(502);
        String other = token(503);
        // Make sure the consumer is reading before the poison goes in (one partition, one key: order is kept).
        String probe = token(504);
        call(probe, "504");
        sendUntil("502", event(Secrets.sha256Hex(probe), "504"), () -> !cache.contains(Secrets.sha256Hex(probe)));

        call(first, "502");
        call(second, "502");
        call(other, "503");

        send("502", "this is not json");
        send("502", "{\"tokenHash\":null}");
        sendUntil("502", event(null, "502"),
                () -> !cache.contains(Secrets.sha256Hex(first)) && !cache.contains(Secrets.sha256Hex(second)));
        assertTrue(cache.contains(Secrets.sha256Hex(other)), "another account's token stays cached");

        call(first, "502");
        call(second, "502");
        call(other, "503");
        assertEquals(2, fakes().introspections(first));
        assertEquals(2, fakes().introspections(second));
        assertEquals(1, fakes().introspections(other));
    }
}
