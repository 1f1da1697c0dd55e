package io.filehost.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two replicas of every service on one machine ({@code ./dev up --replicas 2}; {@code ./dev test} runs the whole
 * system-test suite a second time that way, with this class included): tokens revoked on one gateway are refused by
 * the other within a second, import jobs spread over both workers, and killing one replica of any service (SIGKILL)
 * loses no request that a client retries and no job.
 */
@Tag("replicas")
class ReplicaModeTest {
    private static final Path RUN = Path.of(System.getProperty("fh.state", "../.local"), "run");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ImportSource source;

    @BeforeAll
    static void checkReplicaMode() throws Exception {
        assertTrue(Platform.GATEWAYS.size() >= 2, "run with -Dfh.gateway.urls=<gateway 1>,<gateway 2> (./dev test)");
        source = ImportSource.allowed();
    }

    @AfterAll
    static void stop() {
        source.close();
    }

    /** A gateway addressed as "localhost" (the demo tenant's other host name): the alternating filter leaves it. */
    private static String pinned(int gateway) {
        return Platform.GATEWAYS.get(gateway).replace("127.0.0.1", "localhost");
    }

    private static Response accountInfo(String base, String token, String accountId) {
        return given().baseUri(base).queryParam("access_token", token).queryParam("account_id", accountId)
                .get("/api/v2/account/info");
    }

    @Test
    void aTokenRevokedThroughOneGatewayIsRefusedByTheOtherWithinOneSecond() throws Exception {
        Platform.Account account = Platform.newDemoAccount();
        String token = given().baseUri(pinned(0)).formParam("key1", account.key1()).formParam("key2", account.key2())
                .post("/api/v2/authorize").then().statusCode(200).extract().path("data.access_token");
        // both gateways know (and cache) the token
        for (int gateway = 0; gateway < 2; gateway++) {
            assertEquals("success", accountInfo(pinned(gateway), token, account.accountId()).path("_status"));
        }
        given().baseUri(pinned(0)).formParam("access_token", token).formParam("account_id", account.accountId())
                .post("/api/v2/disable_access_token").then().statusCode(200);
        long revoked = System.nanoTime();
        String status;
        do {
            status = accountInfo(pinned(1), token, account.accountId()).path("_status");
            if ("error".equals(status)) {
                break;
            }
            Thread.sleep(20);
        } while (System.nanoTime() - revoked < TimeUnit.SECONDS.toNanos(5));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revoked);
        assertEquals("error", status, "the other gateway still accepts the revoked token after " + millis + " ms");
        assertTrue(millis <= 1000, "refused by the other gateway only after " + millis + " ms");
    }

    private static double importsDone(int port) throws Exception {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("filehost_imports_total{")) {
                // name{labels} value [# exemplar]
                total += Double.parseDouble(line.substring(line.indexOf("} ") + 2).split(" ")[0]);
            }
        }
        return total;
    }

    @Test
    void importJobsSpreadOverBothWorkers() throws Exception {
        double before1 = importsDone(8084);
        double before2 = importsDone(8184);
        FileFixtures client = UrlImportThroughGatewayTest.client(0);
        List<Long> jobs = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            jobs.add(UrlImportThroughGatewayTest.schedule(client, source.url("/gen/spread-" + i + ".bin?size=4096")));
        }
        for (long job : jobs) {
            assertEquals("complete", UrlImportThroughGatewayTest.awaitEnd(client, job, Duration.ofSeconds(90))
                    .get("status").asText());
        }
        double worker1 = importsDone(8084) - before1;
        double worker2 = importsDone(8184) - before2;
        assertTrue(worker1 > 0 && worker2 > 0, "imports by worker 1: " + worker1 + ", by worker 2: " + worker2);
        assertEquals(16, worker1 + worker2, 0.0);
    }

    /** Runs {@code call} until it succeeds, at most 8 times, 250 ms apart: what a well-behaved client does. */
    private static boolean withRetries(Supplier<Boolean> call) {
        for (int attempt = 0; attempt < 8; attempt++) {
            try {
                if (call.get()) {
                    return true;
                }
            } catch (RuntimeException e) {
                // connection refused by a dead gateway, a reset: retry
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }


    @Test
    void killingOneReplicaOfAnyServiceLosesNoRetriedRequestAndNoJob() throws Exception {
        Platform.Account account = Platform.newAccount("demo", Platform.newPackage("demo", 0, 0, 20));
        FileFixtures client = FileFixtures.newClient(account);
        FolderFixtures.Session folders = FolderFixtures.session(account);
        String folderId = folders.create("replicas", null);
        String fileId = client.upload("kept.txt", "kept");
        // authorize calls use an account of their own: every authorize makes a token, and an account keeps only its
        // 10 newest, which would end the session the other calls use
        Platform.Account logins = Platform.newDemoAccount();

        for (String service : List.of("auth-service", "file-service", "folder-service", "import-worker", "gateway")) {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger done = new AtomicInteger();
            ConcurrentLinkedQueue<String> lost = new ConcurrentLinkedQueue<>();
            Thread load = new Thread(() -> {
                int i = 0;
                while (running.get()) {
                    String name = service + "-" + i++;
                    boolean ok = withRetries(() -> Platform.read(given().formParam("key1", logins.key1())
                                    .formParam("key2", logins.key2()).post("/api/v2/authorize").asString())
                                    .has("data"))
                            && withRetries(() -> "success".equals(client.call("info", "file_id", fileId)
                                    .path("_status")))
                            && withRetries(() -> client.uploadCredentialsFirst(name + ".txt",
                                    name.getBytes(StandardCharsets.UTF_8)).statusCode() == 200)
                            && withRetries(() -> "success".equals(folders.get("listing", "parent_folder_id", folderId)
                                    .path("_status")));
                    if (ok) {
                        done.incrementAndGet();
                    } else {
                        lost.add(name);
                    }
                }
            }, "load-" + service);
            load.start();
            long job = UrlImportThroughGatewayTest.schedule(client,
                    source.url("/gen/" + service + ".bin?size=" + 8 * 1024 * 1024 + "&rate=" + 4 * 1024 * 1024));
            Thread.sleep(500);
            String pid = Files.readAllLines(RUN.resolve(service + "-2.pid")).get(0).trim();
            ProcessHandle victim = ProcessHandle.of(Long.parseLong(pid)).orElseThrow();
            victim.destroyForcibly();
            victim.onExit().get(30, TimeUnit.SECONDS);
            Thread.sleep(3000); // the survivors carry the load alone for a while
            Platform.run("./dev", "restart", service + "-2");
            Thread.sleep(1000);
            running.set(false);
            load.join(60_000);
            assertTrue(lost.isEmpty(), "client operations lost while " + service + "-2 died: " + lost);
            assertTrue(done.get() > 0, "the client got nothing done while " + service + "-2 died");
            JsonNode end = UrlImportThroughGatewayTest.awaitEnd(client, job, Duration.ofSeconds(120));
            assertEquals("complete", end.get("status").asText(), service + ": " + end);
        }
    }

    @Test
    void aResumableUploadContinuesThroughTheOtherGatewayAfterEveryFileServiceRestarted() throws Exception {
        Platform.Account account = Platform.newDemoAccount();
        String token = Platform.authorize(account);
        int size = 13 * 1024 * 1024 + 7;
        byte[] content = new byte[size];
        for (int i = 0; i < size; i++) {
            content[i] = (byte) ImportSource.content(i);
        }
        String location = given().baseUri(pinned(0)).header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + token).header("X-Account-Id", account.accountId())
                .header("Upload-Length", size).post("/api/v2/file/tus").then().statusCode(201)
                .extract().header("Location");
        String path = java.net.URI.create(location).getRawPath();
        int first = 9 * 1024 * 1024 + 3;
        given().baseUri(pinned(0)).header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + token)
                .header("X-Account-Id", account.accountId()).header("Upload-Offset", 0)
                .contentType("application/offset+octet-stream").body(java.util.Arrays.copyOfRange(content, 0, first))
                .patch(path).then().statusCode(204).header("Upload-Offset", Integer.toString(first));

        Platform.run("./dev", "restart", "file-service", "file-service-2");

        String fileId = given().baseUri(pinned(1)).header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + token).header("X-Account-Id", account.accountId())
                .header("Upload-Offset", first).contentType("application/offset+octet-stream")
                .body(java.util.Arrays.copyOfRange(content, first, size)).patch(path).then().statusCode(204)
                .extract().header("Filehost-File-Id");
        String url = given().baseUri(pinned(1)).formParam("access_token", token)
                .formParam("account_id", account.accountId()).formParam("file_id", fileId)
                .post("/api/v2/file/download").then().statusCode(200).extract().path("data.download_url");
        java.net.URI download = java.net.URI.create(url);
        byte[] downloaded = given().baseUri(pinned(1)).urlEncodingEnabled(false)
                .get(download.getRawPath() + "?" + download.getRawQuery()).then().statusCode(200).extract()
                .asByteArray();
        assertTrue(java.util.Arrays.equals(content, downloaded), "the downloaded bytes are the uploaded ones");
    }
}
