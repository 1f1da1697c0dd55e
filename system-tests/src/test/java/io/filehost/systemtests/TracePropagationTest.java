package io.filehost.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One trace id from the client to the worker and back (docs/observability.md, "Tracing"): the client's
 * {@code traceparent} → gateway → file-service {@code url_upload_add} → outbox row → relay's record on
 * {@code file.url-import.requested} → import-worker → its records on {@code file.url-import.events} (read by
 * file-service). Also folder-service's {@code folder.events}, written through the same outbox. The records are read
 * from the platform's real topics with a plain consumer: no consumer group, every partition positioned at its end
 * before the request is sent, so only this test's records (matched by key) are looked at and nobody's offsets move.
 */
class TracePropagationTest {
    private static final String REQUESTED = "file.url-import.requested";
    private static final String EVENTS = "file.url-import.events";
    private static final String FOLDER_EVENTS = "folder.events";
    private static final String KAFKA = System.getProperty("fh.kafka.bootstrap", "127.0.0.1:9092");
    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A vendor entry of the client's: W3C trace context carries it along with the trace id. */
    private static final String TRACESTATE = "filehost-st=trace-test";

    private static ImportSource source;
    private KafkaConsumer<String, String> consumer;

    @BeforeAll
    static void server() throws Exception {
        source = ImportSource.allowed();
    }

    @AfterAll
    static void stop() {
        source.close();
    }

    @BeforeEach
    void atTheEndOfTheTopics() {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "system-test-trace-" + UUID.randomUUID()),
                new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(REQUESTED, EVENTS, FOLDER_EVENTS)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            assertFalse(infos == null || infos.isEmpty(), "the platform's topic " + topic + " exists");
            infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // seekToEnd is lazy: resolve every position now, before the request, or a fast record could be skipped.
        partitions.forEach(consumer::position);
    }

    @AfterEach
    void close() {
        consumer.close(Duration.ofSeconds(2));
    }

    @Test
    void theClientsTraceIdReachesTheWorkerAndComesBackOnItsEvents() {
        String traceId = hex(16);
        String clientSpanId = hex(8);
        String requestId = "trace-" + UUID.randomUUID();
        FileFixtures client = UrlImportThroughGatewayTest.client(0);
        String url = source.url("/gen/traced.bin?size=65536");

        Response response = given()
                .header("traceparent", "00-" + traceId + "-" + clientSpanId + "-01")
                .header("tracestate", TRACESTATE)
                .header("X-Request-Id", requestId)
                .queryParam("access_token", client.accessToken)
                .queryParam("account_id", client.account.accountId())
                .queryParam("file_url_base64", UrlImportThroughGatewayTest.b64(url))
                .get("/api/v2/file/url_upload_add");
        response.then().statusCode(200).body("response", equalTo("File download from URL scheduled"));
        // What the gateway echoes is the request id (joins its access log with the services' logs), no trace header.
        assertEquals(requestId, response.header("X-Request-Id"));
        String jobId = response.path("data.scheduled_item_id").toString();

        Collected records = collect(r -> jobId.equals(r.key()) && (r.topic().equals(REQUESTED)
                        || r.topic().equals(EVENTS)),
                seen -> seen.stream().anyMatch(r -> r.topic().equals(EVENTS) && type(r).equals("COMPLETED")),
                Duration.ofSeconds(60));

        List<ConsumerRecord<String, String>> requested = records.on(REQUESTED);
        assertEquals(1, requested.size(), "one request record for job " + jobId);
        String[] request = traceparent(requested.get(0));
        assertEquals(traceId, request[0], "the outbox relay's record continues the client's trace");
        assertNotEquals(clientSpanId, request[1], "its parent is a span of the platform (gateway → file-service), "
                + "not the client's header copied through");
        assertEquals(TRACESTATE, header(requested.get(0), "tracestate"), "the client's tracestate travels too");

        List<ConsumerRecord<String, String>> events = records.on(EVENTS);
        List<String> types = events.stream().map(TracePropagationTest::type).toList();
        assertTrue(types.contains("DOWNLOADING") && types.contains("COMPLETED"), "events of job " + jobId + ": " + types);
        for (ConsumerRecord<String, String> event : events) {
            assertEquals(traceId, traceparent(event)[0], type(event) + " event of job " + jobId
                    + " is in the client's trace");
            assertEquals(TRACESTATE, header(event, "tracestate"), type(event) + " event of job " + jobId);
        }

        // And file-service consumed them: the job is complete (its consumer span is a child of these records').
        JsonNode done = UrlImportThroughGatewayTest.awaitEnd(client, Long.parseLong(jobId), Duration.ofSeconds(30));
        assertEquals("complete", done.get("status").asText(), done.toString());
    }

    @Test
    void withoutATraceparentTheGatewayStartsOneTraceThatTheWholeImportShares() {
        FileFixtures client = UrlImportThroughGatewayTest.client(0);
        String url = source.url("/gen/untraced.bin?size=4096");
        Response response = client.call("url_upload_add", "file_url_base64", UrlImportThroughGatewayTest.b64(url));
        response.then().statusCode(200).body("response", equalTo("File download from URL scheduled"));
        String jobId = response.path("data.scheduled_item_id").toString();

        Collected records = collect(r -> jobId.equals(r.key()) && !r.topic().equals(FOLDER_EVENTS),
                seen -> seen.stream().anyMatch(r -> r.topic().equals(EVENTS) && type(r).equals("COMPLETED")),
                Duration.ofSeconds(60));
        String traceId = traceparent(records.on(REQUESTED).get(0))[0];
        assertNotEquals("0".repeat(32), traceId);
        for (ConsumerRecord<String, String> event : records.on(EVENTS)) {
            assertEquals(traceId, traceparent(event)[0], type(event) + " event of job " + jobId);
        }
    }

    @Test
    void aFolderDeleteCarriesTheClientsTraceOntoFolderEvents() {
        String traceId = hex(16);
        Platform.Account account = Platform.newDemoAccount();
        FolderFixtures.Session folders = FolderFixtures.session(account);
        String folderId = folders.create("traced", null);

        given().header("traceparent", "00-" + traceId + "-" + hex(8) + "-01")
                .formParam("access_token", folders.token())
                .formParam("account_id", account.accountId())
                .formParam("folder_id", folderId)
                .post("/api/v2/folder/delete")
                .then().statusCode(200).body("_status", equalTo("success"));

        // folder.events is keyed by account id; the payload lists the trashed folder ids.
        Collected records = collect(r -> r.topic().equals(FOLDER_EVENTS) && account.accountId().equals(r.key())
                        && r.value().contains("\"" + folderId + "\""),
                seen -> !seen.isEmpty(), Duration.ofSeconds(30));
        ConsumerRecord<String, String> event = records.on(FOLDER_EVENTS).get(0);
        assertEquals(traceId, traceparent(event)[0], "folder-service's outbox record continues the client's trace");
    }

    private record Collected(List<ConsumerRecord<String, String>> all) {
        List<ConsumerRecord<String, String>> on(String topic) {
            return all.stream().filter(r -> r.topic().equals(topic)).toList();
        }
    }

    /** Polls until {@code done} holds for the records kept so far (those {@code keep} accepts), or fails. */
    private Collected collect(Predicate<ConsumerRecord<String, String>> keep,
                              Predicate<List<ConsumerRecord<String, String>>> done, Duration timeout) {
        List<ConsumerRecord<String, String>> kept = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                if (keep.test(record)) {
                    kept.add(record);
                }
            }
            if (done.test(kept)) {
                // Whatever belongs to the same batch (a late PROGRESS, say) is checked too.
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (keep.test(r)) {
                        kept.add(r);
                    }
                });
                return new Collected(kept);
            }
        }
        return fail("records not all seen within " + timeout + "; got " + kept.stream()
                .map(r -> r.topic() + " " + r.key() + " " + r.value()).toList());
    }

    /** {trace id, parent span id} of the record's single traceparent header. */
    private static String[] traceparent(ConsumerRecord<String, String> record) {
        List<String> values = new ArrayList<>();
        for (Header header : record.headers().headers("traceparent")) {
            values.add(new String(header.value(), StandardCharsets.UTF_8));
        }
        assertEquals(1, values.size(), "one traceparent on " + record.topic() + " " + record.key() + ": " + values);
        Matcher m = TRACEPARENT.matcher(values.get(0));
        assertTrue(m.matches(), "a W3C traceparent: " + values.get(0));
        return new String[] {m.group(1), m.group(2)};
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String type(ConsumerRecord<String, String> record) {
        JsonNode value = Platform.read(record.value());
        assertNotNull(value);
        return value.path("type").asText();
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        random[0] |= 1; // never all zeros (invalid in W3C trace context)
        return HexFormat.of().formatHex(random);
    }
}
