package io.filehost.fileservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.filehost.common.events.Topics;
import io.filehost.fileservice.messaging.FolderEventsConsumer;
import io.filehost.fileservice.support.Db;
import io.filehost.fileservice.support.FakeFolderService;
import io.filehost.fileservice.support.FileApi;
import io.filehost.fileservice.support.Json;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file ↔ folder contract of docs/internal-api.md: internal endpoints and the folder.events consumer. */
@QuarkusTest
@QuarkusTestResource(FakeFolderService.class)
class FileFolderContractTest {
    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private String uploadInto(FileApi api, long folder, String name, String content) {
        return api.gateway().multiPart("folder_id", Long.toString(folder))
                .multiPart("upload_file", name, content.getBytes(StandardCharsets.UTF_8), "text/plain")
                .post("/api/v2/file/upload").then().statusCode(200).extract().path("data[0].file_id");
    }

    @Test
    void folderStatsCountActiveFilesOfTheCallerOnly() {
        FileApi api = FileApi.newAccount();
        long folder = FakeFolderService.activeFolder(api.accountId, 1);
        uploadInto(api, folder, "a.txt", "12345");
        String b = uploadInto(api, folder, "b.txt", "1234567");
        uploadInto(api, folder, "c.txt", "123");
        api.call("delete", "file_id", b).then().statusCode(200);
        String body = api.gateway().contentType("application/json")
                .body("{\"folderIds\":[\"" + folder + "\",\"99999999\",\"x\"]}").post("/internal/folder-stats")
                .then().statusCode(200).extract().asString();
        JsonNode stats = Json.read(body);
        assertEquals(8, stats.get(Long.toString(folder)).get("size").asLong());
        assertEquals(2, stats.get(Long.toString(folder)).get("files").asLong());
        assertEquals(0, stats.get(Long.toString(folder)).get("downloads").asLong());
        assertEquals(0, stats.get("99999999").get("files").asLong());
        assertEquals(0, stats.get("x").get("files").asLong());
        // Another account asking about the same folder id sees nothing of it.
        assertEquals(0, Json.read(api.sibling().gateway().contentType("application/json")
                .body("{\"folderIds\":[\"" + folder + "\"]}").post("/internal/folder-stats").asString())
                .get(Long.toString(folder)).get("files").asLong());
        io.restassured.RestAssured.given().contentType("application/json").body("{\"folderIds\":[]}")
                .post("/internal/folder-stats").then().statusCode(401);
    }

    @Test
    void folderFilesListsActiveFilesByNameWithTheListingFields() {
        FileApi api = FileApi.newAccount();
        long folder = FakeFolderService.activeFolder(api.accountId, 2);
        uploadInto(api, folder, "zeta.txt", "z");
        uploadInto(api, folder, "alpha.txt", "a");
        api.uploadId("root.txt", "r");
        JsonNode files = Json.read(api.gateway().queryParam("folderId", folder).get("/internal/folder-files")
                .then().statusCode(200).extract().asString()).get("files");
        assertEquals(2, files.size());
        assertEquals("alpha.txt", files.get(0).get("filename").asText());
        assertEquals("zeta.txt", files.get(1).get("filename").asText());
        assertEquals(List.of("id", "filename", "shortUrl", "fileType", "extension", "fileSize", "status", "downloads",
                "folderId", "keywords", "url_file", "uploadedDate"), Json.keys(files.get(0)));
        assertEquals("active", files.get(0).get("status").asText());
        // Our addition uploadedDate: the file info's value (same format, the tenant's time zone).
        for (JsonNode file : files) {
            assertEquals(api.call("info", "file_id", file.get("id").asText()).then().statusCode(200).extract()
                    .path("data.uploadedDate"), file.get("uploadedDate").asText());
        }
        JsonNode root = Json.read(api.gateway().get("/internal/folder-files").asString()).get("files");
        assertEquals(1, root.size());
        assertEquals("root.txt", root.get(0).get("filename").asText());
        assertEquals(0, Json.read(api.sibling().gateway().queryParam("folderId", folder).get("/internal/folder-files")
                .asString()).get("files").size());
    }

    @Test
    void aFoldersTrashedEventTrashesTheirFilesOnceEvenWhenDeliveredTwice() throws Exception {
        FileApi api = FileApi.newAccount();
        long folder = FakeFolderService.activeFolder(api.accountId, 7);
        long kept = FakeFolderService.activeFolder(api.accountId, 8);
        String inside = uploadInto(api, folder, "in.txt", "in");
        String outside = uploadInto(api, kept, "out.txt", "out");
        String eventId = UUID.randomUUID().toString();
        String event = "{\"eventId\":\"" + eventId + "\",\"type\":\"FOLDERS_TRASHED\",\"tenantId\":\"" + api.tenantId
                + "\",\"accountId\":\"" + api.accountId + "\",\"folderIds\":[\"" + folder + "\"],\"occurredAt\":"
                + System.currentTimeMillis() + "}";
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.FOLDER_EVENTS, Long.toString(api.accountId), "not json {"))
                    .get(10, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(Topics.FOLDER_EVENTS, Long.toString(api.accountId), event))
                    .get(10, TimeUnit.SECONDS);
            awaitStatus(api, inside, "trash");
            api.call("info", "file_id", inside).then().body("data.folderId", equalTo(null));
            api.call("info", "file_id", outside).then().body("data.file_status", equalTo("active"));

            // A file placed in the folder afterwards must survive a redelivery of the same event.
            String later = uploadInto(api, folder, "later.txt", "later");
            producer.send(new ProducerRecord<>(Topics.FOLDER_EVENTS, Long.toString(api.accountId), event))
                    .get(10, TimeUnit.SECONDS);
            String marker = UUID.randomUUID().toString();
            long markerFolder = FakeFolderService.activeFolder(api.accountId, 9);
            String markerFile = uploadInto(api, markerFolder, "marker.txt", "marker");
            producer.send(new ProducerRecord<>(Topics.FOLDER_EVENTS, Long.toString(api.accountId), event.replace(
                    eventId, marker).replace("\"" + folder + "\"", "\"" + markerFolder + "\""))).get(10, TimeUnit.SECONDS);
            // Same partition (same key), so once the marker is applied the redelivery before it has been handled.
            awaitStatus(api, markerFile, "trash");
            api.call("info", "file_id", later).then().body("data.file_status", equalTo("active"));
        }
        assertEquals(1, Db.count(dataSource, "select count(*) from processed_event where consumer = ? and event_id = ?",
                FolderEventsConsumer.CONSUMER, eventId));
    }

    /**
     * A record on the retry topic is handled only once it has waited filehost.files.event-retry-delay (2 s in tests)
     * from its timestamp, so the blip that failed it has time to pass (retries used to come at once).
     */
    @Test
    void aRetriedEventWaitsForTheRetryDelay() throws Exception {
        FileApi api = FileApi.newAccount();
        long folder = FakeFolderService.activeFolder(api.accountId, 11);
        String inside = uploadInto(api, folder, "retried.txt", "retried");
        String event = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"FOLDERS_TRASHED\",\"tenantId\":\""
                + api.tenantId + "\",\"accountId\":\"" + api.accountId + "\",\"folderIds\":[\"" + folder
                + "\"],\"occurredAt\":" + System.currentTimeMillis() + "}";
        long written = System.currentTimeMillis();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.FOLDER_EVENTS + ".retry", null, written,
                    Long.toString(api.accountId), event)).get(10, TimeUnit.SECONDS);
        }
        awaitStatus(api, inside, "trash");
        long waited = System.currentTimeMillis() - written;
        assertTrue(waited >= 2000, "the retry was handled after " + waited + " ms, before its delay");
    }

    @Test
    void anUnparseableEventGoesStraightToTheDeadLetterTopic() throws Exception {
        String garbage = "not json {" + UUID.randomUUID();
        try (org.apache.kafka.clients.consumer.KafkaConsumer<String, String> dlq =
                     new org.apache.kafka.clients.consumer.KafkaConsumer<>(Map.of(
                             org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                             new org.apache.kafka.common.serialization.StringDeserializer(),
                             new org.apache.kafka.common.serialization.StringDeserializer());
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
            List<org.apache.kafka.common.TopicPartition> partitions = dlq.partitionsFor("folder.events.dlq").stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            dlq.assign(partitions);
            dlq.seekToEnd(partitions);
            partitions.forEach(dlq::position);
            producer.send(new ProducerRecord<>(Topics.FOLDER_EVENTS, "1", garbage)).get(10, TimeUnit.SECONDS);
            long deadline = System.currentTimeMillis() + 30_000;
            boolean found = false;
            while (!found && System.currentTimeMillis() < deadline) {
                for (var record : dlq.poll(java.time.Duration.ofMillis(500))) {
                    found |= garbage.equals(record.value());
                }
            }
            assertTrue(found, "the unparseable message reached folder.events.dlq");
        }
    }

    private static void awaitStatus(FileApi api, String id, String status) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            String current = api.call("info", "file_id", id).then().extract().path("data.file_status");
            if (status.equals(current)) {
                return;
            }
            assertTrue(System.currentTimeMillis() < deadline, "file " + id + " is still " + current);
            Thread.sleep(200);
        }
    }
}
