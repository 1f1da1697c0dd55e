package io.filehost.folderservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.filehost.folderservice.support.Db;
import io.filehost.folderservice.support.FolderEventsTopic;
import io.filehost.folderservice.support.Gateway.As;
import io.filehost.folderservice.support.KafkaDoor;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.filehost.folderservice.support.Gateway.chain;
import static io.filehost.folderservice.support.Gateway.error;
import static io.filehost.folderservice.support.Gateway.newAccount;
import static io.filehost.folderservice.support.Gateway.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Kafka unreachable when a folder is deleted: the delete still succeeds (the event is a row in the same transaction),
 * the row waits unpublished while the relay keeps failing, and once the broker is reachable the relay delivers it.
 * This profile's service knows Kafka only through a {@link KafkaDoor} port that starts closed.
 */
@QuarkusTest
@TestProfile(FolderOutboxWhileKafkaIsDownTest.KafkaBehindADoor.class)
class FolderOutboxWhileKafkaIsDownTest {
    static final ObjectMapper JSON = new ObjectMapper();

    public static class KafkaBehindADoor implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kafka.bootstrap.servers", "127.0.0.1:" + KafkaDoor.freePort());
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafkaAsTheServiceSeesIt;

    @Test
    void theEventWaitsInTheOutboxWhileKafkaIsDownAndIsDeliveredAfterwards() throws Exception {
        int doorPort = Integer.parseInt(kafkaAsTheServiceSeesIt.substring(kafkaAsTheServiceSeesIt.lastIndexOf(':') + 1));
        As as = newAccount();
        List<String> tree = chain(as, null, 3);
        try (FolderEventsTopic topic = new FolderEventsTopic(); KafkaDoor door = new KafkaDoor(doorPort, "127.0.0.1",
                9092)) {
            ok(as, "delete", "folder_id", tree.get(0));
            error(as, 404, "Could not find folder based on folder_id.", "info", "folder_id", tree.get(2));

            // Several relay polls go by (every second; each send fails after the producer's 5 s metadata wait).
            Instant until = Instant.now().plusSeconds(8);
            while (Instant.now().isBefore(until)) {
                List<Map<String, Object>> outbox = Db.outbox(dataSource, as.accountId());
                assertEquals(1, outbox.size());
                assertNull(outbox.get(0).get("published_at"), "published while Kafka was unreachable?");
                Thread.sleep(500);
            }
            String payload = (String) Db.outbox(dataSource, as.accountId()).get(0).get("payload");
            String eventId = JSON.readTree(payload).get("eventId").asText();

            door.open();
            ConsumerRecord<String, String> record = topic.await(r -> r.value().contains(eventId),
                    Duration.ofSeconds(60));
            JsonNode event = JSON.readTree(record.value());
            assertEquals("FOLDERS_TRASHED", event.get("type").asText());
            assertEquals(tree, List.of(event.get("folderIds").get(0).asText(), event.get("folderIds").get(1).asText(),
                    event.get("folderIds").get(2).asText()));
            Instant deadline = Instant.now().plusSeconds(10);
            while (Db.outbox(dataSource, as.accountId()).get(0).get("published_at") == null
                    && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            assertNotNull(Db.outbox(dataSource, as.accountId()).get(0).get("published_at"));
        }
    }
}
