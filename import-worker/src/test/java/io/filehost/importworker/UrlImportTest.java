package io.filehost.importworker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.filehost.importworker.service.ImportMetrics;
import io.filehost.importworker.support.TestServers;
import io.filehost.storage.StorageConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The worker end to end: a real request on file.url-import.requested, real S3 and PostgreSQL, events read back from
 * file.url-import.events (filtered by this test's random job ids), remote files served by loopback servers.
 */
@QuarkusTest
@QuarkusTestResource(value = TestServers.class, restrictToAnnotatedClass = true)
class UrlImportTest {
    private static final String BOOTSTRAP = "127.0.0.1:9092";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KafkaProducer<String, String> producer;
    private static KafkaConsumer<String, String> consumer;
    private static final List<JsonNode> seen = new ArrayList<>();
    private static boolean workerReady;

    @Inject
    MinioClient minio;

    @Inject
    StorageConfig storage;

    @Inject
    MeterRegistry registry;

    @Inject
    DataSource dataSource;

    @Inject
    ImportMetrics metrics;

    @BeforeAll
    static void clients() {
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", BOOTSTRAP, "acks", "all"),
                new StringSerializer(), new StringSerializer());
        consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", BOOTSTRAP, "enable.auto.commit", "false"),
                new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor("test.file.url-import.events").stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    @AfterAll
    static void close() {
        producer.close();
        consumer.close();
    }

    /** Requests sent before the worker's fresh group owns the partitions would be skipped (offset reset: latest). */
    private static void awaitWorkerAssignment() throws Exception {
        if (workerReady) {
            return;
        }
        String group = ConfigProvider.getConfig()
                .getValue("mp.messaging.incoming.url-import-requests.group.id", String.class);
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", BOOTSTRAP))) {
            await("the worker joins its consumer group").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250)).until(() -> {
                        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                        return d.members().stream().flatMap(m -> m.assignment().topicPartitions().stream())
                                .filter(tp -> tp.topic().startsWith("test.file.url-import.requested"))
                                .count() == 8; // 4 partitions of the requests topic and 4 of its retry topic
                    });
        }
        // An assigned consumer resets its position to "latest" on its first poll after the assignment, which the
        // group description does not show: a request sent before that poll would be skipped. One poll interval.
        Thread.sleep(1000);
        workerReady = true;
    }

    private static String send(String tenant, String url, long maxBytes) throws Exception {
        String jobId = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        send(jobId, 1, tenant, url, maxBytes);
        return jobId;
    }

    private static void send(String jobId, int attempt, String tenant, String url, long maxBytes) throws Exception {
        awaitWorkerAssignment();
        String value = JSON.createObjectNode().put("jobId", jobId).put("attempt", attempt).put("tenantId", tenant)
                .put("accountId", "7").put("url", url).put("maxBytes", maxBytes)
                .put("requestedAt", System.currentTimeMillis()).toString();
        producer.send(new ProducerRecord<>("test.file.url-import.requested", jobId, value)).get();
    }

    /** Every event of the job up to and including its terminal one. */
    private static List<JsonNode> events(String jobId, Duration timeout) throws Exception {
        long end = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < end) {
            List<JsonNode> mine = seen.stream().filter(e -> jobId.equals(e.path("jobId").asText())).toList();
            if (mine.stream().anyMatch(e -> e.path("type").asText().matches("COMPLETED|FAILED"))) {
                return mine;
            }
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                seen.add(JSON.readTree(r.value()));
            }
        }
        throw new AssertionError("no terminal event for " + jobId);
    }

    /** Waits for the first event of the given type of the job. */
    private static JsonNode awaitEvent(String jobId, String type, Duration timeout) throws Exception {
        long end = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < end) {
            var found = seen.stream().filter(e -> jobId.equals(e.path("jobId").asText())
                    && type.equals(e.path("type").asText())).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                seen.add(JSON.readTree(r.value()));
            }
        }
        throw new AssertionError("no " + type + " event for " + jobId);
    }

    private boolean recorded(String jobId, int attempt) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement(
                     "select count(*) from processed_event where consumer = ? and event_id = ?")) {
            q.setString(1, "import-worker.url-import");
            q.setString(2, jobId + ":" + attempt);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    private static JsonNode terminal(List<JsonNode> events) {
        return events.get(events.size() - 1);
    }

    private static String tenant() {
        return "tt" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private static String allowed(String path) {
        return "http://127.0.0.1:" + TestServers.allowedPort() + path;
    }

    private void assertNoObjects(String tenant) {
        var listing = minio.listObjects(ListObjectsArgs.builder().bucket(storage.bucket()).prefix(tenant + "/")
                .recursive(true).build());
        assertFalse(listing.iterator().hasNext(), "objects left under " + tenant);
    }

    private static String hex(MessageDigest d) {
        return HexFormat.of().formatHex(d.digest());
    }

    @Test
    void importsAFileWithHashesAndTheContentDispositionName() throws Exception {
        String tenant = tenant();
        int size = 3 * 1024 * 1024 + 17;
        String jobId = send(tenant, allowed("/file/ignored.bin?cd&size=" + size), 0);
        List<JsonNode> events = events(jobId, Duration.ofSeconds(60));
        JsonNode done = terminal(events);
        assertEquals("COMPLETED", done.path("type").asText(), done.toString());
        assertEquals("DOWNLOADING", events.get(0).path("type").asText());
        assertEquals(size, events.get(0).path("totalBytes").asLong());
        assertEquals(1, done.path("attempt").asInt());
        assertEquals("résumé final.pdf", done.path("filename").asText());
        assertEquals("application/pdf", done.path("contentType").asText());
        assertEquals(size, done.path("size").asLong());
        String key = done.path("objectKey").asText();
        assertTrue(key.matches(tenant + "/[0-9a-f-]{36}"), key);

        byte[] expected = new byte[size];
        TestServers.fill(expected, 0, size);
        byte[] stored;
        try (InputStream in = minio.getObject(GetObjectArgs.builder().bucket(storage.bucket()).object(key).build())) {
            stored = in.readAllBytes();
        }
        assertArrayEquals(expected, stored);
        assertEquals(hex(digest("MD5", expected)), done.path("md5").asText());
        assertEquals(hex(digest("SHA-256", expected)), done.path("sha256").asText());
    }

    private static MessageDigest digest(String algorithm, byte[] data) throws Exception {
        MessageDigest d = MessageDigest.getInstance(algorithm);
        d.update(data);
        return d;
    }

    @Test
    void namesTheFileAfterTheUrlPathWhenThereIsNoContentDispositionAndFollowsRedirects() throws Exception {
        String jobId = send(tenant(), allowed("/file/My%20Report%C3%A9.txt?size=1234&chunked"), 0);
        JsonNode done = terminal(events(jobId, Duration.ofSeconds(60)));
        assertEquals("COMPLETED", done.path("type").asText(), done.toString());
        assertEquals("My Reporté.txt", done.path("filename").asText());
        assertEquals(1234, done.path("size").asLong());

        String redirected = send(tenant(), allowed("/redirect-ok"), 0);
        List<JsonNode> events = events(redirected, Duration.ofSeconds(60));
        assertEquals("after-redirect.dat", terminal(events).path("filename").asText());
        assertTrue(events.get(0).path("totalBytes").isIntegralNumber());
    }

    @Test
    void largeImportStreamsWithASmallHeap() throws Exception {
        long size = 300L * 1024 * 1024;
        long maxHeap = Runtime.getRuntime().maxMemory();
        assertTrue(maxHeap <= 300L * 1024 * 1024, "heap must be smaller than the file: " + maxHeap);
        String tenant = tenant();
        long start = System.nanoTime();
        String jobId = send(tenant, allowed("/file/big.iso?chunked&size=" + size), 0);
        List<JsonNode> events = events(jobId, Duration.ofSeconds(120));
        double seconds = (System.nanoTime() - start) / 1e9;
        JsonNode done = terminal(events);
        assertEquals("COMPLETED", done.path("type").asText(), done.toString());
        assertEquals(size, done.path("size").asLong());
        assertTrue(events.get(0).path("totalBytes").isNull());
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        for (long off = 0; off < size; off += buf.length) {
            int n = (int) Math.min(buf.length, size - off);
            TestServers.fill(buf, off, n);
            sha.update(buf, 0, n);
        }
        assertEquals(hex(sha), done.path("sha256").asText());
        long progress = events.stream().filter(e -> e.path("type").asText().equals("PROGRESS")).count();
        assertTrue(progress >= 1, "progress events: " + progress);
        System.out.printf("LARGE IMPORT: %d MiB in %.1f s = %.1f MiB/s, %d PROGRESS events, heap max %d MiB%n",
                size >> 20, seconds, (size >> 20) / seconds, progress, maxHeap >> 20);
        minio.removeObject(io.minio.RemoveObjectArgs.builder().bucket(storage.bucket())
                .object(done.path("objectKey").asText()).build());
    }

    @Test
    void forbiddenTargetsFailWithoutAnyRequestReachingThem() throws Exception {
        int port = TestServers.forbiddenPort();
        int before = TestServers.forbiddenRequests.get();
        List<String> urls = List.of(
                "http://127.0.0.1:" + port + "/x",
                "http://localhost:" + port + "/x",
                "http://2130706433:" + port + "/x",
                "http://0x7f.1:" + port + "/x",
                "http://[::ffff:127.0.0.1]:" + port + "/x",
                "http://127.1:" + port + "/x",
                "http://%31%32%37.0.0.1:" + port + "/x",
                "http://[::1]:" + port + "/x",
                "http://169.254.169.254/latest/meta-data/",
                "http://metadata.google.internal/computeMetadata/v1/",
                "file:///etc/passwd",
                "ftp://127.0.0.1:" + port + "/x",
                "gopher://127.0.0.1:" + port + "/x",
                allowed("/redirect-forbidden"),
                allowed("/redirect-numeric"),
                allowed("/redirect-file"));
        List<String> jobs = new ArrayList<>();
        for (String url : urls) {
            jobs.add(send(tenant(), url, 0));
        }
        for (int i = 0; i < jobs.size(); i++) {
            JsonNode done = terminal(events(jobs.get(i), Duration.ofSeconds(60)));
            assertEquals("FAILED", done.path("type").asText(), urls.get(i));
            String error = done.path("error").asText();
            assertTrue(error.equals("The URL points to an address that is not allowed.")
                    || error.equals("Only http and https URLs can be imported."), urls.get(i) + " -> " + error);
        }
        assertEquals(before, TestServers.forbiddenRequests.get(), "a forbidden server was reached");
    }

    @Test
    void httpsIsSpokenOverThePinnedConnectionAndAnUntrustedCertificateFails() throws Exception {
        String path = "/file/tls-" + UUID.randomUUID() + ".bin";
        String jobId = send(tenant(), "https://127.0.0.1:" + TestServers.tlsPort() + path + "?size=10", 0);
        JsonNode done = terminal(events(jobId, Duration.ofSeconds(60)));
        assertEquals("FAILED", done.path("type").asText());
        assertEquals("The remote server's TLS certificate could not be verified.", done.path("error").asText());
        assertNull(TestServers.allowedRequests.get(path), "no request may be sent before the certificate is trusted");
    }

    @Test
    void redirectLoopStopsAtTheLimit() throws Exception {
        String jobId = send(tenant(), allowed("/loop"), 0);
        JsonNode done = terminal(events(jobId, Duration.ofSeconds(60)));
        assertEquals("FAILED", done.path("type").asText());
        assertEquals("The URL redirected too many times.", done.path("error").asText());
        long hops = TestServers.allowedRequests.entrySet().stream().filter(e -> e.getKey().startsWith("/loop"))
                .mapToInt(e -> e.getValue().get()).sum();
        assertEquals(4, hops, "first request + max-redirects (3)");
    }

    @Test
    void sizeLimitExceededMidStreamLeavesNothing() throws Exception {
        String tenant = tenant();
        String jobId = send(tenant, allowed("/file/too-big.bin?chunked&size=" + (40 * 1024 * 1024)),
                20 * 1024 * 1024 + 5);
        JsonNode done = terminal(events(jobId, Duration.ofSeconds(60)));
        assertEquals("FAILED", done.path("type").asText(), done.toString());
        assertEquals("The file is larger than the allowed size.", done.path("error").asText());
        assertNoObjects(tenant);

        String declared = send(tenant, allowed("/file/declared.bin?size=5000"), 4999);
        JsonNode refused = terminal(events(declared, Duration.ofSeconds(60)));
        assertEquals("The file is larger than the allowed size.", refused.path("error").asText());
        assertNoObjects(tenant);
    }

    @Test
    void remote404AndSlowServerFail() throws Exception {
        String tenant = tenant();
        String missing = send(tenant, allowed("/missing"), 0);
        JsonNode notFound = terminal(events(missing, Duration.ofSeconds(60)));
        assertEquals("FAILED", notFound.path("type").asText());
        assertEquals("The remote server answered HTTP 404.", notFound.path("error").asText());

        long start = System.nanoTime();
        String slow = send(tenant, allowed("/slow"), 0);
        JsonNode downloading = awaitEvent(slow, "DOWNLOADING", Duration.ofSeconds(30));
        assertTrue(downloading.path("totalBytes").isNull());
        // Mid-download the job is running and NOT recorded: a worker killed now leaves the request to be redone.
        assertFalse(recorded(slow, 1));
        assertTrue(metrics.active() >= 1, "active imports while downloading");
        assertTrue(registry.find("filehost.imports.active").gauge() != null);
        JsonNode tooSlow = terminal(events(slow, Duration.ofSeconds(60)));
        // Recorded right after Kafka acknowledged the terminal event, so it may trail the event by a moment.
        long recordDeadline = System.currentTimeMillis() + 10_000;
        while (!recorded(slow, 1) && System.currentTimeMillis() < recordDeadline) {
            Thread.sleep(50);
        }
        assertTrue(recorded(slow, 1), "recorded once the terminal event was acknowledged");
        assertEquals("FAILED", tooSlow.path("type").asText());
        assertEquals("The download took too long.", tooSlow.path("error").asText());
        assertTrue((System.nanoTime() - start) / 1e9 < 40, "limit is 20 s");
        assertNoObjects(tenant);
    }

    @Test
    void duplicateDeliveryIsFetchedOnceButANewAttemptIsFetchedAgain() throws Exception {
        String tenant = tenant();
        String path = "/file/dup-" + UUID.randomUUID() + ".bin";
        String url = allowed(path + "?size=100000");
        String jobId = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        double duplicatesBefore = duplicates();
        send(jobId, 1, tenant, url, 0);
        send(jobId, 1, tenant, url, 0);
        JsonNode done = terminal(events(jobId, Duration.ofSeconds(60)));
        assertEquals("COMPLETED", done.path("type").asText());
        long end = System.currentTimeMillis() + 30_000;
        while (duplicates() < duplicatesBefore + 1 && System.currentTimeMillis() < end) {
            Thread.sleep(100);
        }
        assertEquals(duplicatesBefore + 1, duplicates(), "the second delivery was not seen as a duplicate");
        assertEquals(1, TestServers.allowedRequests.get(path).get());
        long completed = seen.stream().filter(e -> jobId.equals(e.path("jobId").asText())
                && e.path("type").asText().equals("COMPLETED")).count();
        assertEquals(1, completed);

        seen.removeIf(e -> jobId.equals(e.path("jobId").asText()));
        send(jobId, 2, tenant, url, 0);
        JsonNode again = terminal(events(jobId, Duration.ofSeconds(60)));
        assertEquals(2, again.path("attempt").asInt());
        assertEquals(2, TestServers.allowedRequests.get(path).get());
    }

    private double duplicates() {
        var counter = registry.find("filehost.imports").tag("outcome", "duplicate").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void requestOnTheRetryTopicIsProcessedAfterTheRetryDelay() throws Exception {
        awaitWorkerAssignment();
        String jobId = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String value = JSON.createObjectNode().put("jobId", jobId).put("attempt", 1).put("tenantId", tenant())
                .put("accountId", "7").put("url", allowed("/file/retried.txt?size=10")).put("maxBytes", 0)
                .put("requestedAt", System.currentTimeMillis()).toString();
        long start = System.nanoTime();
        producer.send(new ProducerRecord<>("test.file.url-import.requested.retry", jobId, value)).get();
        JsonNode done = terminal(events(jobId, Duration.ofSeconds(60)));
        assertEquals("COMPLETED", done.path("type").asText());
        assertEquals("retried.txt", done.path("filename").asText());
        assertTrue(System.nanoTime() - start >= 900_000_000L, "retry-delay (1 s) honoured");
    }

    @Test
    void requestsOfOtherTenantsAreLeftAloneByATestWorker() throws Exception {
        String path = "/file/foreign-" + UUID.randomUUID() + ".bin";
        String jobId = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        send(jobId, 1, "foreign", allowed(path + "?size=10"), 0);
        String control = send(tenant(), allowed("/file/control.bin?size=10"), 0);
        terminal(events(control, Duration.ofSeconds(60)));
        Thread.sleep(1000); // proving an absence: the foreign request had as long as the control one, and a second more
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
            seen.add(JSON.readTree(r.value()));
        }
        assertTrue(seen.stream().noneMatch(e -> jobId.equals(e.path("jobId").asText())));
        assertNull(TestServers.allowedRequests.get(path));
    }

    @Test
    void unreadableRequestGoesToTheDeadLetterTopic() throws Exception {
        String key = "poison-" + UUID.randomUUID();
        try (KafkaConsumer<String, String> dlq = new KafkaConsumer<>(Map.of("bootstrap.servers", BOOTSTRAP,
                "enable.auto.commit", "false"), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = dlq.partitionsFor("test.file.url-import.requested.dlq").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            dlq.assign(partitions);
            dlq.seekToEnd(partitions);
            partitions.forEach(dlq::position);
            awaitWorkerAssignment();
            producer.send(new ProducerRecord<>("test.file.url-import.requested", key, "{not json")).get();
            long end = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < end) {
                for (ConsumerRecord<String, String> r : dlq.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        assertEquals("{not json", r.value());
                        return;
                    }
                }
            }
            fail("poison message not in the DLQ");
        }
    }
}
