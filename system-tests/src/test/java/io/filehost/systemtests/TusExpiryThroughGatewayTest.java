package io.filehost.systemtests;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An abandoned resumable upload expires (docs/tus.md, Expiry) and the sweep takes everything it held: its S3
 * multipart upload and tail object, its row, the quota it reserved. The platform's expiry is 24 h, so every
 * file-service instance is restarted for this class with a short expiry and sweep interval — given as FILEHOST_TUS_*
 * variables to {@code ./dev restart}, which passes its environment to the services it starts — and restarted again
 * without them afterwards, whether the test passed or not. Rows keep the expiry they were given, so uploads of other
 * tests are not shortened. Works with any number of replicas, but {@code ./dev test} runs it in its single mode only
 * (tag {@code single}): a file-service stops in ~12 s (its Kafka consumers leave their group one by one), so each
 * restart of two replicas would add ~30 s more, and the expiry does not depend on the gateway or replica count.
 */
@Tag("single")
class TusExpiryThroughGatewayTest {
    private static final int MB = 1024 * 1024;
    private static final String TUS = "/api/v2/file/tus";
    /** Long enough for creation, PATCH and HEAD on a busy 2-core machine, short enough to keep the test short. */
    private static final Duration EXPIRY = Duration.ofSeconds(10);
    private static final Map<String, String> SHORT_EXPIRY = Map.of(
            "FILEHOST_TUS_EXPIRY", EXPIRY.toString(),
            "FILEHOST_TUS_SWEEP_INTERVAL", "1s",
            "FILEHOST_TUS_SWEEP_DELAY", "1s");

    @BeforeAll
    static void shortExpiry() {
        restartFileService(SHORT_EXPIRY);
    }

    /** Runs even when the test (or the restart above) failed: later classes and the other mode get a normal service. */
    @AfterAll
    static void normalExpiry() {
        restartFileService(Map.of());
    }

    /** Every instance of file-service (./dev remembers the replica count in the state folder). */
    private static void restartFileService(Map<String, String> settings) {
        List<String> command = new ArrayList<>(List.of("./dev", "restart"));
        command.addAll(fileServiceInstances());
        Map<String, String> environment = new java.util.HashMap<>(settings);
        environment.put("FH_STATE", Platform.STATE.toAbsolutePath().toString());
        Platform.run(environment, command.toArray(String[]::new));
    }

    private static List<String> fileServiceInstances() {
        int replicas;
        try {
            replicas = Integer.parseInt(Files.readString(Platform.STATE.resolve("replicas")).trim());
        } catch (NoSuchFileException e) {
            replicas = 1;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        List<String> names = new ArrayList<>(List.of("file-service"));
        for (int replica = 2; replica <= replicas; replica++) {
            names.add("file-service-" + replica);
        }
        return names;
    }

    private static RequestSpecification tus(Platform.Account account, String token) {
        return given().header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + token)
                .header("X-Account-Id", account.accountId());
    }

    private static Instant expires(Response response) {
        return ZonedDateTime.parse(response.header("Upload-Expires"), DateTimeFormatter.RFC_1123_DATE_TIME)
                .toInstant();
    }

    /** {@code Upload-Expires} is EXPIRY after the last byte (HTTP dates have whole seconds). */
    private static void assertExpiresAfter(Response response, Instant before, Instant after) {
        Instant expires = expires(response);
        assertFalse(expires.isBefore(before.plus(EXPIRY).truncatedTo(ChronoUnit.SECONDS)),
                "Upload-Expires " + expires + " is before " + before + " + " + EXPIRY);
        assertFalse(expires.isAfter(after.plus(EXPIRY)), "Upload-Expires " + expires + " is after " + after + " + "
                + EXPIRY + ": the short expiry did not reach file-service");
    }

    @Test
    void anAbandonedUploadIsSweptWithItsPartsTailAndQuota() {
        // a package whose quota is 20 MiB: what the upload reserves is seen by whether another one still fits
        Platform.Account account = Platform.newAccount("demo", Platform.newPackage("demo", 0, 20L * MB, 0));
        String token = Platform.authorize(account);
        Set<LocalS3.MultipartUpload> before = LocalS3.incompleteUploads();

        String path = java.net.URI.create(tus(account, token).header("Upload-Length", 15 * MB).post(TUS).then()
                .statusCode(201).extract().header("Location")).getRawPath();
        tus(account, token).header("Upload-Length", 10 * MB).post(TUS).then().statusCode(413);

        // one full part (8 MiB, filehost.files.part-size) in S3 and the rest, off a part boundary, as the tail object
        int sent = 9 * MB + 4321;
        byte[] chunk = new byte[sent];
        for (int i = 0; i < sent; i++) {
            chunk[i] = (byte) ImportSource.content(i);
        }
        Instant patchStart = Instant.now();
        Response patched = tus(account, token).contentType("application/offset+octet-stream")
                .header("Upload-Offset", 0).body(chunk).patch(path);
        Instant patchEnd = Instant.now();
        patched.then().statusCode(204).header("Upload-Offset", Integer.toString(sent));
        assertExpiresAfter(patched, patchStart, patchEnd);
        Response head = tus(account, token).head(path);
        head.then().statusCode(200).header("Upload-Offset", Integer.toString(sent));
        assertEquals(expires(patched), expires(head));

        Set<LocalS3.MultipartUpload> created = new HashSet<>(LocalS3.incompleteUploads());
        created.removeAll(before);
        assertEquals(1, created.size(), "one new multipart upload in S3: " + created);
        LocalS3.MultipartUpload upload = created.iterator().next();
        assertEquals(1, LocalS3.partCount(upload), "S3 holds the full part");
        Set<String> tails = LocalS3.objects(upload.key() + ".tail.");
        assertEquals(Set.of(upload.key() + ".tail." + sent), tails, "the tail object (named by its end offset)");

        // The client goes away. Once the upload has expired a sweep (every second here) takes it; quota is probed
        // last: the row (and its reservation) goes after the S3 cleanup.
        AtomicReference<String> probe = new AtomicReference<>();
        await("the sweep of the expired upload").atMost(EXPIRY.plusSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (LocalS3.incompleteUploads().contains(upload) || !LocalS3.objects(upload.key()).isEmpty()) {
                        return false;
                    }
                    // the whole quota fits again: nothing of the expired upload is reserved or used any more
                    Response whole = tus(account, token).header("Upload-Length", 20 * MB).post(TUS);
                    if (whole.statusCode() == 201) {
                        probe.set(whole.header("Location"));
                        return true;
                    }
                    assertEquals(413, whole.statusCode(), whole.asString());
                    return false;
                });
        assertTrue(Instant.now().isAfter(patchEnd.plus(EXPIRY)), "swept only after it expired");

        // the client coming back gets tus' answer for an unknown upload, not an error of the platform
        tus(account, token).head(path).then().statusCode(404).header("Tus-Resumable", "1.0.0");
        tus(account, token).contentType("application/offset+octet-stream").header("Upload-Offset", sent)
                .body(new byte[10]).patch(path).then().statusCode(404).header("Tus-Resumable", "1.0.0")
                .body("status", equalTo("error")).body("response", equalTo("Upload not found."));
        tus(account, token).delete(java.net.URI.create(probe.get()).getRawPath()).then().statusCode(204);
    }
}
