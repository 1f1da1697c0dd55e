package io.filehost.fileservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.filehost.common.internal.PackageLimits;
import io.filehost.fileservice.service.FileService;
import io.filehost.fileservice.service.Quotas;
import io.filehost.fileservice.service.UrlDecoding;
import io.filehost.fileservice.service.UrlImportMetrics;
import io.filehost.fileservice.service.UrlImportRearm;
import io.filehost.fileservice.service.UrlImports;
import io.filehost.fileservice.support.Db;
import io.filehost.fileservice.support.FakeFolderService;
import io.filehost.fileservice.support.FileApi;
import io.filehost.fileservice.support.Json;
import io.filehost.storage.StorageConfig;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * file-service's half of the remote URL import against real PostgreSQL, Kafka and S3. The test plays import-worker on
 * the test profile's own topics: it reads the requests the outbox relay publishes and sends the worker's events.
 */
@QuarkusTest
@QuarkusTestResource(FakeFolderService.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UrlImportTest {
    @Inject
    DataSource dataSource;

    @Inject
    MinioClient minio;

    @Inject
    StorageConfig storage;

    @Inject
    UrlImportRearm rearm;

    @Inject
    UrlImportMetrics metrics;

    @Inject
    FileService files;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "filehost.files.url-import.requests-topic")
    String requestsTopic;

    @ConfigProperty(name = "mp.messaging.incoming.url-import-events.topic")
    String eventsTopic;

    @ConfigProperty(name = "mp.messaging.outgoing.url-import-events-dlq.topic")
    String dlqTopic;

    private KafkaConsumer<String, String> requests;
    private KafkaConsumer<String, String> deadLetters;
    private KafkaProducer<String, String> events;

    @BeforeAll
    void kafka() {
        requests = consumer(requestsTopic);
        deadLetters = consumer(dlqTopic);
        events = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all"),
                new StringSerializer(), new StringSerializer());
        // Job ids restart at 1 with the cleaned test database; events of earlier runs must never match a job of this one.
        Db.query(dataSource, "select setval('url_import_job_id_seq', ?)",
                ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000_000L));
    }

    @AfterAll
    void close() {
        requests.close();
        deadLetters.close();
        events.close();
    }

    /** Reads one topic from its end, without a consumer group (no rebalance to wait for). */
    private KafkaConsumer<String, String> consumer(String topic) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "enable.auto.commit", "false"), new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    @BeforeEach
    void drain() {
        requests.poll(Duration.ofMillis(200));
        deadLetters.poll(Duration.ofMillis(10));
    }

    private static String b64(String url) {
        return Base64.getEncoder().encodeToString(url.getBytes(StandardCharsets.UTF_8));
    }

    private static String uniqueUrl() {
        return "https://downloads.example.org/" + UUID.randomUUID() + "/archive.tar.gz";
    }

    private static PackageLimits limits(boolean canUpload, long maxUpload, long maxStorage, int maxUrls) {
        return new PackageLimits(4, canUpload, maxUpload, maxStorage, null, 0, 0, 0, 0, 0, 0, 0, maxUrls);
    }

    private long schedule(FileApi api, String url, String... more) {
        List<String> params = new ArrayList<>(List.of("file_url_base64", b64(url)));
        params.addAll(List.of(more));
        Response response = api.call("url_upload_add", params.toArray(String[]::new));
        response.then().statusCode(200).body("response", equalTo(UrlImports.SCHEDULED)).body("data.url", equalTo(url));
        return ((Number) response.path("data.scheduled_item_id")).longValue();
    }

    /** The next request for {@code jobId} the relay publishes (waits up to 10 s). */
    private JsonNode nextRequest(long jobId) {
        return awaitRecord(requests, r -> Long.toString(jobId).equals(r.key()));
    }

    private static JsonNode awaitRecord(KafkaConsumer<String, String> consumer,
                                        Predicate<ConsumerRecord<String, String>> match) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                if (match.test(record)) {
                    return Json.read(record.value());
                }
            }
        }
        return fail("no matching record within 10 s");
    }

    private void noRequestFor(long jobId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : requests.poll(Duration.ofMillis(200))) {
                assertFalse(Long.toString(jobId).equals(record.key()), "unexpected request " + record.value());
            }
        }
    }

    private void send(long jobId, String json) {
        try {
            events.send(new ProducerRecord<>(eventsTopic, Long.toString(jobId), json)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String event(String eventId, long jobId, int attempt, String type, String fields) {
        return "{\"eventId\":\"" + eventId + "\",\"jobId\":\"" + jobId + "\",\"attempt\":" + attempt + ",\"type\":\""
                + type + "\"" + (fields.isEmpty() ? "" : "," + fields) + ",\"at\":" + System.currentTimeMillis() + "}";
    }

    /** Puts bytes where the worker would and returns the COMPLETED event's fields. */
    private String storeObject(FileApi api, byte[] content, String filename) throws Exception {
        String key = api.tenantId + "/" + UUID.randomUUID();
        minio.putObject(PutObjectArgs.builder().bucket(storage.bucket()).object(key)
                .stream(new ByteArrayInputStream(content), content.length, -1).build());
        return "\"objectKey\":\"" + key + "\",\"size\":" + content.length + ",\"md5\":\""
                + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content)) + "\",\"sha256\":\""
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content))
                + "\",\"filename\":\"" + filename + "\",\"contentType\":\"application/octet-stream\"";
    }

    private static String keyOf(String completedFields) {
        return completedFields.replaceAll(".*\"objectKey\":\"([^\"]+)\".*", "$1");
    }

    private boolean objectExists(String key) {
        try {
            minio.statObject(StatObjectArgs.builder().bucket(storage.bucket()).object(key).build());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private JsonNode status(FileApi api, long jobId) {
        return Json.read(api.call("url_upload_status", "scheduled_item_id", Long.toString(jobId))
                .then().statusCode(200).extract().asString());
    }

    /** Polls the status until {@code status} (the consumer applies events asynchronously). */
    private JsonNode awaitStatus(FileApi api, long jobId, String status) throws InterruptedException {
        JsonNode last = null;
        for (int i = 0; i < 100; i++) {
            last = status(api, jobId);
            if (status.equals(last.path("data").path("status").asText())) {
                return last;
            }
            Thread.sleep(100);
        }
        return fail("job " + jobId + " never reached " + status + ": " + last);
    }

    private long used(FileApi api) {
        return Db.count(dataSource, "select coalesce(sum(used_bytes), 0) from account_usage where tenant_id = ?",
                api.tenantId);
    }

    // ------------------------------------------------------------------------------------------- url_upload_add

    @Test
    void addValidatesItsParameters() {
        FileApi api = FileApi.newAccount();
        api.call("url_upload_add").then().statusCode(400)
                .body("response", equalTo("Please provide the file_url_base64 param."));
        for (String bad : new String[]{"@@@not base64@@@", "a", "aGVsbG8*", b64("x").substring(0, 1)}) {
            api.call("url_upload_add", "file_url_base64", bad).then().statusCode(400)
                    .body("response", equalTo(UrlDecoding.BAD_BASE64));
        }
        // bytes that are not UTF-8
        api.call("url_upload_add", "file_url_base64", Base64.getEncoder().encodeToString(new byte[]{(byte) 0xff, 0x41}))
                .then().statusCode(400).body("response", equalTo(UrlDecoding.BAD_BASE64));
        for (String scheme : new String[]{"ftp://example.org/a", "file:///etc/passwd", "gopher://example.org/",
                "javascript:alert(1)", "data:text/plain,hi"}) {
            api.call("url_upload_add", "file_url_base64", b64(scheme)).then().statusCode(400)
                    .body("response", equalTo(UrlDecoding.NOT_HTTP));
        }
        for (String notUrl : new String[]{"not a url", "/relative/path", "http://", "https:///nohost"}) {
            api.call("url_upload_add", "file_url_base64", b64(notUrl)).then().statusCode(400)
                    .body("response", equalTo(UrlDecoding.NOT_A_URL));
        }
        // numeric host spellings java.net.URI cannot name are left to the worker's address check (it refuses them)
        schedule(api, "http://0x7f000001:8080/a");
        schedule(api, "http://2130706433/a");
        api.call("url_upload_add", "file_url_base64", b64("https://example.org/" + "a".repeat(2100)))
                .then().statusCode(400).body("response", equalTo("The URL is longer than 2048 characters."));
        assertEquals(2, Db.count(dataSource, "select count(*) from url_import_job where tenant_id = ?", api.tenantId));
    }

    @Test
    void addStoresTheJobAndPublishesItsRequestThroughTheOutbox() {
        FileApi api = FileApi.newAccount(limits(true, 5_000_000, 0, 0));
        String url = uniqueUrl();
        Response response = api.call("url_upload_add", "file_url_base64", b64(url));
        response.then().statusCode(200);
        JsonNode body = Json.read(response.asString());
        assertEquals(List.of("response", "data", "_status", "_datetime"), Json.keys(body));
        assertEquals(List.of("scheduled_item_id", "url"), Json.keys(body.get("data")));
        assertTrue(body.get("data").get("scheduled_item_id").isIntegralNumber(), "an integer, as documented");
        long jobId = body.get("data").get("scheduled_item_id").asLong();

        JsonNode request = nextRequest(jobId);
        assertEquals(Long.toString(jobId), request.get("jobId").asText());
        assertEquals(1, request.get("attempt").asInt());
        assertEquals(Long.toString(api.tenantId), request.get("tenantId").asText());
        assertEquals(Long.toString(api.accountId), request.get("accountId").asText());
        assertEquals(url, request.get("url").asText());
        assertEquals(5_000_000, request.get("maxBytes").asLong(), "the package's max_upload_size");

        JsonNode status = status(api, jobId).get("data");
        assertEquals(List.of("scheduled_item_id", "status", "created", "started", "finished", "total_size",
                "downloaded_file", "downloaded_size"), Json.keys(status));
        assertEquals("pending", status.get("status").asText());
        assertTrue(status.get("started").isNull());
        assertTrue(status.get("downloaded_file").isNull());
    }

    @Test
    void urlSafeAndUnpaddedBase64AndAPlusTurnedIntoASpaceAreAccepted() {
        FileApi api = FileApi.newAccount();
        // this URL's base64 holds '+' and '/' ('-' and '_' in the URL-safe alphabet) and padding
        String url = "https://example.org/file-100.bin?x=~~~";
        String standard = b64(url);
        assertTrue(standard.contains("+") && standard.contains("/") && standard.endsWith("="));
        long id = schedule(api, url);
        assertEquals(id, ((Number) api.call("url_upload_add", "file_url_base64", standard.replace('+', ' '))
                .path("data.scheduled_item_id")).longValue());
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(url.getBytes(StandardCharsets.UTF_8));
        assertEquals(id, ((Number) api.call("url_upload_add", "file_url_base64", urlSafe)
                .path("data.scheduled_item_id")).longValue());
    }

    @Test
    void theSameOpenUrlReturnsTheExistingJobWithoutASecondRequest() {
        FileApi api = FileApi.newAccount();
        String url = uniqueUrl();
        long first = schedule(api, url);
        nextRequest(first);
        assertEquals(first, schedule(api, url));
        noRequestFor(first);
        assertTrue(schedule(api, uniqueUrl()) != first);
        // another account scheduling the same URL gets a job of its own
        assertTrue(schedule(api.sibling(), url) != first);
    }

    @Test
    void packageLimitsApply() {
        FileApi noUpload = FileApi.newAccount(limits(false, 0, 0, 0));
        noUpload.call("url_upload_add", "file_url_base64", b64(uniqueUrl())).then().statusCode(403)
                .body("response", equalTo(FileService.UPLOAD_NOT_ALLOWED));

        FileApi two = FileApi.newAccount(limits(true, 0, 0, 2));
        schedule(two, uniqueUrl());
        schedule(two, uniqueUrl());
        two.call("url_upload_add", "file_url_base64", b64(uniqueUrl())).then().statusCode(429)
                .body("response", equalTo(UrlImports.TOO_MANY));
        assertTrue(io.restassured.RestAssured.get("/q/metrics").asString().matches(
                "(?s).*filehost_limit_rejections_total\\{[^}]*reason=\"max_remote_download_urls\"[^}]*} [1-9].*"),
                "limit rejections are counted by reason");
        assertEquals(2, Db.count(dataSource, "select count(*) from url_import_job where tenant_id = ?", two.tenantId));
    }

    @Test
    void quotaLeftBoundsTheRequestAndAFullAccountIsRefused() throws Exception {
        FileApi api = FileApi.newAccount(limits(true, 0, 1000, 0));
        api.upload("have.bin", new byte[600]).then().statusCode(200);
        long jobId = schedule(api, uniqueUrl());
        assertEquals(400, nextRequest(jobId).get("maxBytes").asLong(), "quota left: 1000 - 600");
        api.upload("more.bin", new byte[400]).then().statusCode(200);
        api.call("url_upload_add", "file_url_base64", b64(uniqueUrl())).then().statusCode(413)
                .body("response", equalTo(Quotas.STORAGE_FULL));
    }

    @Test
    void folderIdIsCheckedLikeAnUpload() throws Exception {
        FileApi api = FileApi.newAccount();
        long folder = FakeFolderService.activeFolder(api.accountId, 7);
        long jobId = schedule(api, uniqueUrl(), "folder_id", Long.toString(folder));
        assertEquals(folder, Db.count(dataSource, "select folder_id from url_import_job where id = ?", jobId));
        // another account's folder: root for compatible tenants (as an upload), refused for strict ones
        long others = FakeFolderService.activeFolder(api.accountId + 1, 7);
        long rooted = schedule(api, uniqueUrl(), "folder_id", Long.toString(others));
        assertEquals(1, Db.count(dataSource, "select count(*) from url_import_job where id = ? and folder_id is null",
                rooted));
        api.gateway().header("X-Tenant-Strict-Http", "true")
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("file_url_base64", b64(uniqueUrl())).formParam("folder_id", Long.toString(others))
                .post("/api/v2/file/url_upload_add").then().statusCode(404)
                .body("response", equalTo("Could not find the destination folder id defined by folder_id."));
    }

    // ------------------------------------------------------------------------------------------- status + events

    @Test
    void statusNeedsAnIdOfTheCallersOwn() {
        FileApi api = FileApi.newAccount();
        long jobId = schedule(api, uniqueUrl());
        api.call("url_upload_status").then().statusCode(400)
                .body("response", equalTo("Please provide the scheduled_item_id param."));
        for (FileApi other : new FileApi[]{api.sibling(), api.otherTenant()}) {
            other.call("url_upload_status", "scheduled_item_id", Long.toString(jobId)).then().statusCode(404)
                    .body("response", equalTo(UrlImports.NOT_FOUND));
        }
        for (String bad : new String[]{"abc", "-1", "0", "99999999999999999999"}) {
            api.call("url_upload_status", "scheduled_item_id", bad).then().statusCode(404)
                    .body("response", equalTo(UrlImports.NOT_FOUND));
        }
    }

    @Test
    void progressThenCompletionCreatesTheFileExactlyOnce() throws Exception {
        FileApi api = FileApi.newAccount();
        long folder = FakeFolderService.activeFolder(api.accountId, 3);
        api.gateway().multiPart("folder_id", Long.toString(folder))
                .multiPart("upload_file", "report.pdf", "already here".getBytes(StandardCharsets.UTF_8))
                .post("/api/v2/file/upload").then().statusCode(200);
        long jobId = schedule(api, uniqueUrl(), "folder_id", Long.toString(folder));
        byte[] content = "remote bytes ".repeat(1000).getBytes(StandardCharsets.UTF_8);

        send(jobId, event(UUID.randomUUID().toString(), jobId, 1, "DOWNLOADING",
                "\"downloadedBytes\":0,\"totalBytes\":" + content.length));
        send(jobId, event(UUID.randomUUID().toString(), jobId, 1, "PROGRESS",
                "\"downloadedBytes\":5000,\"totalBytes\":" + content.length));
        JsonNode progress = awaitStatus(api, jobId, "downloading").get("data");
        for (int i = 0; i < 50 && progress.get("downloaded_size").asLong() != 5000; i++) {
            Thread.sleep(100);
            progress = status(api, jobId).get("data");
        }
        assertEquals(5000, progress.get("downloaded_size").asLong());
        assertEquals(content.length, progress.get("total_size").asLong());
        assertFalse(progress.get("started").isNull());

        String completed = storeObject(api, content, "report.pdf");
        String eventId = UUID.randomUUID().toString();
        send(jobId, event(eventId, jobId, 1, "COMPLETED", completed));
        send(jobId, event(eventId, jobId, 1, "COMPLETED", completed)); // redelivered
        JsonNode data = awaitStatus(api, jobId, "complete").get("data");
        assertEquals(content.length, data.get("total_size").asLong());
        assertEquals(content.length, data.get("downloaded_size").asLong());
        assertFalse(data.get("finished").isNull());
        assertFalse(data.has("error"));
        JsonNode file = data.get("downloaded_file");
        assertEquals(List.of("file_id", "name", "size", "url"), Json.keys(file));
        assertTrue(file.get("file_id").isIntegralNumber());
        assertEquals("report (2).pdf", file.get("name").asText(), "the upload rules' name collision");
        assertEquals(content.length, file.get("size").asLong());

        JsonNode info = Json.read(api.call("info", "file_id", file.get("file_id").asText()).asString()).get("data");
        assertEquals(Long.toString(folder), info.get("folderId").asText());
        assertEquals(file.get("url").asText(), info.get("url_file").asText());
        assertEquals("remote", info.get("uploadSource").asText());
        assertEquals("203.0.113.7", info.get("uploadedIP").asText(), "the address that scheduled the import");
        assertEquals(2, Db.count(dataSource, "select count(*) from file_record where tenant_id = ?", api.tenantId));
        assertEquals(12 + content.length, used(api));

        // the same completion again with a new event id (a re-armed attempt that finished too): one file, its
        // object removed, the first one kept
        String late = storeObject(api, "other bytes".getBytes(StandardCharsets.UTF_8), "report.pdf");
        send(jobId, event(UUID.randomUUID().toString(), jobId, 2, "COMPLETED", late));
        for (int i = 0; i < 50 && objectExists(keyOf(late)); i++) {
            Thread.sleep(100);
        }
        assertFalse(objectExists(keyOf(late)), "a duplicate completion's object is deleted");
        assertTrue(objectExists(keyOf(completed)));
        assertEquals(2, Db.count(dataSource, "select count(*) from file_record where tenant_id = ?", api.tenantId));
        assertEquals(12 + content.length, used(api));
    }

    @Test
    void identicalContentSharesTheStoredObject() throws Exception {
        FileApi api = FileApi.newAccount();
        byte[] content = ("dedup " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        api.upload("first.txt", content).then().statusCode(200);
        long jobId = schedule(api, uniqueUrl());
        String completed = storeObject(api, content, "second.txt");
        send(jobId, event(UUID.randomUUID().toString(), jobId, 1, "COMPLETED", completed));
        awaitStatus(api, jobId, "complete");
        assertEquals(1, Db.count(dataSource, "select count(*) from stored_object where tenant_id = ?", api.tenantId));
        for (int i = 0; i < 50 && objectExists(keyOf(completed)); i++) {
            Thread.sleep(100);
        }
        assertFalse(objectExists(keyOf(completed)), "the redundant copy goes");
        assertEquals(2L * content.length, used(api), "quota still counts per file");
    }

    @Test
    void failureIsReportedWithItsErrorAndLeavesNothing() throws Exception {
        FileApi api = FileApi.newAccount();
        long jobId = schedule(api, uniqueUrl());
        send(jobId, event(UUID.randomUUID().toString(), jobId, 1, "DOWNLOADING", "\"downloadedBytes\":0"));
        send(jobId, event(UUID.randomUUID().toString(), jobId, 1, "FAILED",
                "\"error\":\"The remote server answered HTTP 404.\""));
        JsonNode data = awaitStatus(api, jobId, "failed").get("data");
        assertEquals("The remote server answered HTTP 404.", data.get("error").asText());
        assertTrue(data.get("downloaded_file").isNull());
        assertFalse(data.get("finished").isNull());
        assertEquals(0, used(api));
        // the URL is no longer open: scheduling it again makes a new job
        assertTrue(schedule(api, Db.query(dataSource, "select url from url_import_job where id = ?", jobId)
                .get(0)[0].toString()) != jobId);
    }

    @Test
    void aCompletionTheQuotaNoLongerAllowsFailsAndDeletesTheObject() throws Exception {
        FileApi api = FileApi.newAccount(limits(true, 0, 1000, 0));
        long jobId = schedule(api, uniqueUrl());
        api.upload("meanwhile.bin", new byte[700]).then().statusCode(200);
        String completed = storeObject(api, new byte[500], "late.bin");
        send(jobId, event(UUID.randomUUID().toString(), jobId, 1, "COMPLETED", completed));
        JsonNode data = awaitStatus(api, jobId, "failed").get("data");
        assertEquals(Quotas.STORAGE_FULL, data.get("error").asText());
        for (int i = 0; i < 50 && objectExists(keyOf(completed)); i++) {
            Thread.sleep(100);
        }
        assertFalse(objectExists(keyOf(completed)));
        assertEquals(700, used(api));
        assertEquals(1, Db.count(dataSource, "select count(*) from file_record where tenant_id = ?", api.tenantId));
    }

    @Test
    void aSilentDownloadIsReArmedWithTheNextAttemptThenGivenUp() throws Exception {
        FileApi api = FileApi.newAccount();
        long jobId = schedule(api, uniqueUrl());
        nextRequest(jobId);
        send(jobId, event(UUID.randomUUID().toString(), jobId, 1, "DOWNLOADING", "\"downloadedBytes\":0"));
        awaitStatus(api, jobId, "downloading");
        // not silent long enough yet: nothing happens
        rearm.rearmStuck();
        assertEquals("downloading", status(api, jobId).get("data").get("status").asText());

        Db.update(dataSource, "update url_import_job set touched_at = now() - interval '1 hour' where id = ?", jobId);
        assertTrue(rearm.rearmStuck() >= 1);
        JsonNode request = nextRequest(jobId);
        assertEquals(2, request.get("attempt").asInt());
        assertEquals("pending", status(api, jobId).get("data").get("status").asText());
        // the dead attempt's late progress or failure does not touch the re-armed job
        send(jobId, event(UUID.randomUUID().toString(), jobId, 1, "FAILED", "\"error\":\"late\""));
        send(jobId, event(UUID.randomUUID().toString(), jobId, 2, "DOWNLOADING", "\"downloadedBytes\":0"));
        awaitStatus(api, jobId, "downloading");

        Db.update(dataSource, "update url_import_job set touched_at = now() - interval '1 hour' where id = ?", jobId);
        rearm.rearmStuck();
        assertEquals(3, nextRequest(jobId).get("attempt").asInt());
        send(jobId, event(UUID.randomUUID().toString(), jobId, 3, "DOWNLOADING", "\"downloadedBytes\":0"));
        awaitStatus(api, jobId, "downloading");
        Db.update(dataSource, "update url_import_job set touched_at = now() - interval '1 hour' where id = ?", jobId);
        rearm.rearmStuck();
        JsonNode data = status(api, jobId).get("data");
        assertEquals("failed", data.get("status").asText());
        assertEquals(UrlImportRearm.GAVE_UP.formatted(3), data.get("error").asText());
        noRequestFor(jobId);
    }

    @Test
    void aTrashedDestinationFolderSendsTheImportToTheRoot() throws Exception {
        FileApi api = FileApi.newAccount();
        long folder = FakeFolderService.activeFolder(api.accountId, 5);
        long jobId = schedule(api, uniqueUrl(), "folder_id", Long.toString(folder));
        QuarkusTransaction.requiringNew().run(() -> files.trashFolders(api.tenantId, api.accountId, List.of(folder)));
        assertEquals(1, Db.count(dataSource, "select count(*) from url_import_job where id = ? and folder_id is null",
                jobId));
        send(jobId, event(UUID.randomUUID().toString(), jobId, 1, "COMPLETED",
                storeObject(api, "x".getBytes(StandardCharsets.UTF_8), "x.txt")));
        JsonNode file = awaitStatus(api, jobId, "complete").get("data").get("downloaded_file");
        assertTrue(Json.read(api.call("info", "file_id", file.get("file_id").asText()).asString())
                .get("data").get("folderId").isNull());
    }

    @Test
    void eventsOfUnknownJobsAreIgnoredAndUnparseableOnesGoToTheDeadLetterTopic() throws Exception {
        FileApi api = FileApi.newAccount();
        String completed = storeObject(api, "orphan".getBytes(StandardCharsets.UTF_8), "o.txt");
        send(1, event(UUID.randomUUID().toString(), 1, 1, "COMPLETED", completed)); // no such job in this run
        send(1, event(UUID.randomUUID().toString(), 1, 1, "PROGRESS", "\"downloadedBytes\":1"));
        String garbage = "{\"not\":\"an event\"," + UUID.randomUUID().toString().hashCode() + "}";
        String wrongType = event(UUID.randomUUID().toString(), 5, 1, "EXPLODED", "");
        send(1, garbage);
        send(1, wrongType);
        JsonNode dead = awaitRecord(deadLetters, r -> wrongType.equals(r.value()));
        assertNotNull(dead);
        // the consumer is still alive: a real job still completes
        long jobId = schedule(api, uniqueUrl());
        send(jobId, event(UUID.randomUUID().toString(), jobId, 1, "COMPLETED",
                storeObject(api, "alive".getBytes(StandardCharsets.UTF_8), "alive.txt")));
        awaitStatus(api, jobId, "complete");
        assertTrue(objectExists(keyOf(completed)), "an unknown job's object is left to the orphan sweep");
        assertEquals(1, Db.count(dataSource, "select count(*) from file_record where tenant_id = ?", api.tenantId));
    }

    @Test
    void jobsAreCountedInTheMetrics() throws Exception {
        FileApi api = FileApi.newAccount();
        long pending = schedule(api, uniqueUrl());
        long failing = schedule(api, uniqueUrl());
        send(failing, event(UUID.randomUUID().toString(), failing, 1, "FAILED", "\"error\":\"nope\""));
        awaitStatus(api, failing, "failed");
        metrics.refreshOpenCounts();
        String metrics = io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.matches("(?s).*filehost_url_imports_finished_total\\{[^}]*outcome=\"failed\"[^}]*} [1-9].*"),
                "failed imports counted");
        assertTrue(metrics.matches("(?s).*filehost_url_imports_open\\{[^}]*status=\"pending\"[^}]*} [1-9].*"),
                "open jobs by status (job " + pending + " is pending)");
    }
}
