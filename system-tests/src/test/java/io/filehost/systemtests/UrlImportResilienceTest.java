package io.filehost.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.filehost.systemtests.UrlImportThroughGatewayTest.awaitEnd;
import static io.filehost.systemtests.UrlImportThroughGatewayTest.client;
import static io.filehost.systemtests.UrlImportThroughGatewayTest.schedule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing is lost when a part of the platform fails during an import: the worker is killed (SIGKILL) mid-download, or
 * Kafka is down when the import is scheduled. Drives the local platform's own scripts ({@code ./dev},
 * {@code deploy/local/infra.sh}) as an operator would.
 */
class UrlImportResilienceTest {
    private static final long MIB = 1024 * 1024;
    private static ImportSource source;

    @BeforeAll
    static void server() throws Exception {
        source = ImportSource.allowed();
    }

    @AfterAll
    static void stop() {
        source.close();
    }


    @Test
    void aWorkerKilledMidDownloadCompletesAfterRestartWithExactlyOneFile() throws Exception {
        FileFixtures client = client(0);
        long size = 24 * MIB;
        // ~4 MiB/s: the download is under way for seconds, long enough to kill the worker in the middle
        long jobId = schedule(client, source.url("/gen/slow.bin?size=" + size + "&rate=" + 4 * MIB));
        UrlImportThroughGatewayTest.await(client, jobId, Duration.ofSeconds(60),
                s -> s.get("downloaded_size").asLong() > 0 || !s.get("status").asText().equals("pending"));
        String pid = Files.readAllLines(Path.of(System.getProperty("fh.state", "../.local"), "run",
                "import-worker.pid")).get(0).trim();
        ProcessHandle worker = ProcessHandle.of(Long.parseLong(pid)).orElseThrow();
        worker.destroyForcibly();
        worker.onExit().get(30, TimeUnit.SECONDS);
        Platform.run("./dev", "restart", "import-worker");

        JsonNode end = awaitEnd(client, jobId, Duration.ofSeconds(150));
        assertEquals("complete", end.get("status").asText(), end.toString());
        assertEquals(1, UrlImportThroughGatewayTest.rootFileCount(client), "exactly one file");
        assertEquals(ImportSource.md5Of(size), UrlImportThroughGatewayTest.downloadedMd5(client,
                end.get("downloaded_file").get("file_id").asText()));
    }

    @Test
    void anImportScheduledWhileKafkaIsDownCompletesWhenItReturns() throws Exception {
        FileFixtures client = client(0);
        Platform.run("deploy/local/infra.sh", "down-kafka");
        long jobId;
        try {
            jobId = schedule(client, source.url("/gen/later.bin?size=" + MIB));
            assertEquals("pending", UrlImportThroughGatewayTest.status(client, jobId).get("status").asText());
        } finally {
            Platform.run("deploy/local/infra.sh", "up-kafka");
        }
        JsonNode end = awaitEnd(client, jobId, Duration.ofSeconds(150));
        assertEquals("complete", end.get("status").asText(), end.toString());
        assertTrue(List.of("later.bin").contains(end.get("downloaded_file").get("name").asText()));
        assertEquals(1, UrlImportThroughGatewayTest.rootFileCount(client));
    }
}
