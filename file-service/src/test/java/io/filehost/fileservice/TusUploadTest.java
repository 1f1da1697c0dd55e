package io.filehost.fileservice;

import io.filehost.common.internal.PackageLimits;
import io.filehost.fileservice.support.Db;
import io.filehost.fileservice.support.FakeFolderService;
import io.filehost.fileservice.support.FileApi;
import io.filehost.fileservice.tus.TusSweep;
import io.filehost.storage.StorageConfig;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tus 1.0 on file-service (docs/tus.md), against the real PostgreSQL and S3; the test's part size is 5 MiB. */
@QuarkusTest
@QuarkusTestResource(FakeFolderService.class)
class TusUploadTest {
    private static final int MB = 1024 * 1024;
    private static final String TUS = "/api/v2/file/tus";
    private static final String OCTETS = "application/offset+octet-stream";

    @Inject
    DataSource dataSource;

    @Inject
    MinioClient minio;

    @Inject
    StorageConfig storage;

    @Inject
    TusSweep sweep;

    private static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String b64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(String algorithm, byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
    }

    private static RequestSpecification tus(FileApi api) {
        return api.gateway().header("Tus-Resumable", "1.0.0");
    }

    /** Creates an upload; returns its path (the Location's path). */
    private static String create(FileApi api, long length, String filename) {
        String location = tus(api).header("Upload-Length", length)
                .header("Upload-Metadata", "filename " + b64(filename) + ",filetype " + b64("text/plain"))
                .post(TUS).then().statusCode(201).header("Tus-Resumable", "1.0.0")
                .header("Location", containsString(FileApi.BASE + TUS + "/")).extract().header("Location");
        return location.substring(FileApi.BASE.length());
    }

    private static Response patch(FileApi api, String path, long offset, byte[] content, int from, int to) {
        return tus(api).header("Upload-Offset", offset).contentType(OCTETS)
                .body(Arrays.copyOfRange(content, from, to)).patch(path);
    }

    private byte[] stored(String objectKey) throws Exception {
        try (InputStream in = minio.getObject(GetObjectArgs.builder().bucket(storage.bucket()).object(objectKey)
                .build())) {
            return in.readAllBytes();
        }
    }

    private long objects(FileApi api) throws Exception {
        long n = 0;
        for (var item : minio.listObjects(ListObjectsArgs.builder().bucket(storage.bucket())
                .prefix(api.tenantId + "/").recursive(true).build())) {
            item.get();
            n++;
        }
        return n;
    }

    private long reserved(FileApi api) {
        return Db.count(dataSource, "select coalesce(sum(reserved_bytes), 0) from tus_upload where tenant_id = ?",
                api.tenantId);
    }

    @Test
    void chunksThatEndOffPartBoundariesMakeTheSameFileAsAnUpload() throws Exception {
        FileApi api = FileApi.newAccount();
        byte[] content = bytes(13 * MB + 12_345, 1);
        String path = create(api, content.length, "movie.bin");
        tus(api).head(path).then().statusCode(200).header("Upload-Offset", "0")
                .header("Upload-Length", Integer.toString(content.length)).header("Cache-Control", "no-store")
                .header("Upload-Metadata", containsString("filename "));
        int[] cuts = {0, 3 * MB, 3 * MB + 1, 9 * MB, 10 * MB + 7, content.length};
        Response last = null;
        for (int i = 0; i + 1 < cuts.length; i++) {
            last = patch(api, path, cuts[i], content, cuts[i], cuts[i + 1]);
            last.then().statusCode(204).header("Upload-Offset", Integer.toString(cuts[i + 1]));
        }
        String fileId = last.then().header("Filehost-File-Id", notNullValue())
                .header("Filehost-Short-Url", notNullValue())
                .header("Filehost-File-Url", containsString(FileApi.BASE)).extract().header("Filehost-File-Id");
        api.call("info", "file_id", fileId).then().statusCode(200)
                .body("data.filename", equalTo("movie.bin"))
                .body("data.fileSize", equalTo(Integer.toString(content.length)));
        Object[] object = Db.query(dataSource, "select o.object_key, o.md5, o.sha256 from file_record f join "
                + "stored_object o on o.id = f.stored_object_id where f.id = ?", Long.parseLong(fileId)).get(0);
        assertEquals(hex("MD5", content), object[1]);
        assertEquals(hex("SHA-256", content), object[2]);
        assertArrayEquals(content, stored((String) object[0]));
        assertEquals(content.length, Db.count(dataSource, "select used_bytes from account_usage where tenant_id = ? "
                + "and account_id = ?", api.tenantId, api.accountId));
        assertEquals(0, reserved(api));
        assertEquals(1, objects(api), "only the file's object: no tail left behind");
        // Found by its URL afterwards too; no more bytes accepted.
        tus(api).head(path).then().statusCode(200).header("Upload-Offset", Integer.toString(content.length))
                .header("Filehost-File-Id", fileId);
        patch(api, path, content.length, content, 0, 1).then().statusCode(403);

        // The same name again takes the collision rule, the same bytes share the object (dedup).
        String again = create(api, content.length, "movie.bin");
        String secondId = patch(api, again, 0, content, 0, content.length).then().statusCode(204)
                .extract().header("Filehost-File-Id");
        api.call("info", "file_id", secondId).then().body("data.filename", equalTo("movie (2).bin"));
        assertEquals(1, objects(api), "deduplicated by sha256");
    }

    @Test
    void protocolErrorsAreClear() {
        FileApi api = FileApi.newAccount();
        String path = create(api, 10, "a.txt");
        byte[] ten = "0123456789".getBytes(StandardCharsets.UTF_8);
        api.gateway().header("Upload-Offset", 0).contentType(OCTETS).body(ten).patch(path).then().statusCode(412)
                .header("Tus-Version", "1.0.0");
        tus(api).header("Upload-Offset", 0).contentType("application/octet-stream").body(ten).patch(path).then()
                .statusCode(415);
        tus(api).header("Upload-Offset", 3).contentType(OCTETS).body(ten).patch(path).then().statusCode(409)
                .body("response", containsString("does not match"));
        tus(api).header("Upload-Offset", "-1").contentType(OCTETS).body(ten).patch(path).then().statusCode(400);
        tus(api).header("Upload-Offset", 0).contentType(OCTETS).body("01234567890".getBytes(StandardCharsets.UTF_8))
                .patch(path).then().statusCode(413);
        tus(api).header("Upload-Offset", 0).header("Upload-Checksum", "crc32 AAAA").contentType(OCTETS).body(ten)
                .patch(path).then().statusCode(400).body("response", containsString("not supported"));
        tus(api).header("Upload-Offset", 0).header("Upload-Checksum", "sha1 " + Base64.getEncoder()
                .encodeToString(new byte[20])).contentType(OCTETS).body(ten).patch(path).then().statusCode(460);
        tus(api).head(path).then().statusCode(200).header("Upload-Offset", "0");
        tus(api).post(TUS).then().statusCode(400).body("response", containsString("Upload-Length"));
        tus(api).header("Upload-Length", "12").header("Upload-Metadata", "filename !!!").post(TUS).then()
                .statusCode(400).body("response", containsString("base64"));
        tus(api).header("Upload-Length", "12").header("Upload-Metadata", "filename " + b64("a") + ",filename "
                + b64("b")).post(TUS).then().statusCode(400).body("response", containsString("twice"));
        tus(api).header("Upload-Length", "12").header("Upload-Metadata", "filename " + b64("a\u0000b")).post(TUS)
                .then().statusCode(400).body("response", containsString("control characters"));
        tus(api).header("Upload-Length", "0").post(TUS).then().statusCode(400);
        tus(api).header("Upload-Length", "-5").post(TUS).then().statusCode(400)
                .body("response", containsString("non-negative integer"));
        tus(api).header("Upload-Length", "99999999999999999999999").post(TUS).then().statusCode(400);
        tus(api).header("Upload-Length", "5").header("Upload-Defer-Length", "1").post(TUS).then().statusCode(400);
        tus(api).head(TUS + "/" + "0".repeat(32)).then().statusCode(404);
    }

    @Test
    void aMatchingChecksumIsAcceptedForEachAlgorithm() throws Exception {
        FileApi api = FileApi.newAccount();
        byte[] content = bytes(300, 2);
        String path = create(api, content.length, "c.bin");
        String[][] algorithms = {{"sha1", "SHA-1"}, {"md5", "MD5"}, {"sha256", "SHA-256"}};
        for (int i = 0; i < 3; i++) {
            byte[] chunk = Arrays.copyOfRange(content, i * 100, i * 100 + 100);
            tus(api).header("Upload-Offset", i * 100).header("Upload-Checksum", algorithms[i][0] + " "
                            + Base64.getEncoder().encodeToString(MessageDigest.getInstance(algorithms[i][1])
                            .digest(chunk))).contentType(OCTETS).body(chunk).patch(path).then().statusCode(204)
                    .header("Upload-Offset", Integer.toString(i * 100 + 100));
        }
    }

    @Test
    void anotherAccountOrTenantSeesNothing() {
        FileApi api = FileApi.newAccount();
        String path = create(api, 10, "mine.txt");
        for (FileApi other : new FileApi[]{api.sibling(), api.otherTenant()}) {
            tus(other).head(path).then().statusCode(404);
            tus(other).header("Upload-Offset", 0).contentType(OCTETS).body(new byte[10]).patch(path).then()
                    .statusCode(404);
            tus(other).delete(path).then().statusCode(404);
        }
        tus(api).head(path).then().statusCode(200).header("Upload-Offset", "0");
    }

    @Test
    void limitsAreCheckedAtCreation() {
        PackageLimits small = new PackageLimits(4, true, 5 * MB, 8 * MB, null, 0, 0, 0, 0, 0, 0, 0, 0);
        FileApi api = FileApi.newAccount(small);
        tus(api).header("Upload-Length", 5 * MB + 1).post(TUS).then().statusCode(413)
                .body("response", containsString("maximum upload size"));
        create(api, 5 * MB, "one.bin");
        tus(api).header("Upload-Length", 4 * MB).post(TUS).then().statusCode(413)
                .body("response", containsString("maximum storage"));
        PackageLimits noUpload = new PackageLimits(4, false, 0, 0, null, 0, 0, 0, 0, 0, 0, 0, 0);
        tus(FileApi.newAccount(noUpload)).header("Upload-Length", 10).post(TUS).then().statusCode(403);
    }

    @Test
    void terminationReleasesTheQuotaAndLeavesNothing() throws Exception {
        PackageLimits quota = new PackageLimits(4, true, 0, 12 * MB, null, 0, 0, 0, 0, 0, 0, 0, 0);
        FileApi api = FileApi.newAccount(quota);
        byte[] content = bytes(7 * MB, 3);
        String path = create(api, 10 * MB, "big.bin");
        patch(api, path, 0, content, 0, content.length).then().statusCode(204);
        assertEquals(10 * MB, reserved(api));
        tus(api).header("Upload-Length", 4 * MB).post(TUS).then().statusCode(413);
        tus(api).delete(path).then().statusCode(204);
        tus(api).head(path).then().statusCode(404);
        assertEquals(0, reserved(api));
        assertEquals(0, objects(api), "tail gone (and the multipart upload aborted)");
        create(api, 12 * MB, "fits-now.bin");
    }

    @Test
    void aDeferredLengthIsSetByALaterPatchAndQuotaIsReservedWhileStreaming() throws Exception {
        FileApi api = FileApi.newAccount();
        byte[] content = bytes(6 * MB + 5, 4);
        String location = tus(api).header("Upload-Defer-Length", "1").post(TUS).then().statusCode(201)
                .extract().header("Location");
        String path = location.substring(FileApi.BASE.length());
        tus(api).head(path).then().statusCode(200).header("Upload-Defer-Length", "1");
        patch(api, path, 0, content, 0, 4 * MB).then().statusCode(204).header("Upload-Offset",
                Integer.toString(4 * MB));
        assertTrue(reserved(api) >= 4 * MB);
        String fileId = tus(api).header("Upload-Offset", 4 * MB).header("Upload-Length", content.length)
                .contentType(OCTETS).body(Arrays.copyOfRange(content, 4 * MB, content.length)).patch(path).then()
                .statusCode(204).extract().header("Filehost-File-Id");
        assertNotNull(fileId);
        assertEquals(hex("MD5", content), Db.query(dataSource, "select o.md5 from file_record f join stored_object o "
                + "on o.id = f.stored_object_id where f.id = ?", Long.parseLong(fileId)).get(0)[0]);
        api.call("info", "file_id", fileId).then().body("data.filename", equalTo("file"));
    }

    @Test
    void creationWithUploadAndAFolder() {
        FileApi api = FileApi.newAccount();
        long folder = FakeFolderService.activeFolder(api.accountId, 3);
        String fileId = tus(api).header("Upload-Length", 5)
                .header("Upload-Metadata", "filename " + b64("in-folder.txt") + ",folder_id " + b64(Long.toString(folder)))
                .contentType(OCTETS).body("hello".getBytes(StandardCharsets.UTF_8)).post(TUS).then().statusCode(201)
                .header("Upload-Offset", "5").extract().header("Filehost-File-Id");
        api.call("info", "file_id", fileId).then().statusCode(200)
                .body("data.folderId", equalTo(Long.toString(folder)));
    }

    @Test
    void bytesReceivedBeforeTheClientVanishedAreKeptAndTheUploadResumes() throws Exception {
        FileApi api = FileApi.newAccount();
        byte[] content = bytes(8 * MB, 5);
        String path = create(api, content.length, "cut.bin");
        int sent = 6 * MB + 100;
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(rawPatchHead(api, path, 0, content.length).getBytes(StandardCharsets.US_ASCII));
            out.write(content, 0, sent);
            out.flush();
        }
        // The offset moves once, when the interrupted PATCH commits what it received (and gives its lease back).
        long offset = 0;
        for (int i = 0; i < 100 && offset == 0; i++) {
            Thread.sleep(100); // the server notices the closed connection asynchronously
            offset = Long.parseLong(tus(api).head(path).then().statusCode(200).extract().header("Upload-Offset"));
        }
        // What the server had read when the connection dropped is kept: beyond the first full part here (bytes still
        // in the connection's buffers when it closed may be lost; the client resends from the offset it is told).
        assertTrue(offset > 5 * MB && offset <= sent, "kept what was read: " + offset);
        String fileId = patch(api, path, offset, content, (int) offset, content.length).then().statusCode(204)
                .extract().header("Filehost-File-Id");
        assertEquals(hex("MD5", content), Db.query(dataSource, "select o.md5 from file_record f join stored_object o "
                + "on o.id = f.stored_object_id where f.id = ?", Long.parseLong(fileId)).get(0)[0]);
    }

    @Test
    void aSecondConcurrentPatchIsRefusedWhileTheFirstIsWriting() throws Exception {
        FileApi api = FileApi.newAccount();
        byte[] content = bytes(2 * MB, 7);
        String path = create(api, content.length, "busy.bin");
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(rawPatchHead(api, path, 0, content.length).getBytes(StandardCharsets.US_ASCII));
            out.write(content, 0, MB);
            out.flush();
            // The first PATCH holds the upload while its body is still coming; a second one is turned away. Sent
            // once the first holds the lease: on a busy machine a second PATCH sent earlier could be the first writer.
            String id = path.substring(path.lastIndexOf('/') + 1);
            for (int i = 0; i < 100 && Db.query(dataSource, "select 1 from tus_upload where id = ? "
                    + "and lease_token is not null", id).isEmpty(); i++) {
                Thread.sleep(100);
            }
            assertEquals(423, patch(api, path, 0, content, 0, 10).statusCode(), "one PATCH at a time");
            out.write(content, MB, MB);
            out.flush();
            String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 204", answer, "the first PATCH completes the upload");
        }
    }

    private static String rawPatchHead(FileApi api, String path, long offset, long length) {
        return "PATCH " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n"
                + "Authorization: Bearer " + api.jwt() + "\r\nX-Tenant-Id: " + api.tenantId + "\r\n"
                + "X-Public-Base-Url: " + FileApi.BASE + "\r\nX-Tenant-Time-Zone: UTC\r\n"
                + "Content-Type: " + OCTETS + "\r\nUpload-Offset: " + offset + "\r\nContent-Length: " + length
                + "\r\n\r\n";
    }

    @Test
    void expiredUploadsAreSweptWithTheirQuotaAndObjects() throws Exception {
        FileApi api = FileApi.newAccount();
        String path = create(api, 6 * MB, "old.bin");
        patch(api, path, 0, bytes(MB, 6), 0, MB).then().statusCode(204);
        String id = path.substring(path.lastIndexOf('/') + 1);
        Db.update(dataSource, "update tus_upload set expires_at = now() - interval '1 second' where id = ?", id);
        tus(api).head(path).then().statusCode(404);
        sweep.sweep();
        assertEquals(0, Db.count(dataSource, "select count(*) from tus_upload where id = ?", id));
        assertEquals(0, reserved(api));
        assertEquals(0, objects(api));
    }

    @Test
    void optionsAnnouncesTheProtocol() {
        PackageLimits limits = new PackageLimits(4, true, 77 * MB, 0, null, 0, 0, 0, 0, 0, 0, 0, 0);
        FileApi.newAccount(limits).gateway().options(TUS).then().statusCode(204).header("Tus-Version", "1.0.0")
                .header("Tus-Max-Size", Integer.toString(77 * MB))
                .header("Tus-Extension", containsString("creation-defer-length"))
                .header("Tus-Checksum-Algorithm", containsString("sha256"))
                .header("Upload-Offset", nullValue());
    }
}
