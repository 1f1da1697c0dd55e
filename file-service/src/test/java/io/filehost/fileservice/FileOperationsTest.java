package io.filehost.fileservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.filehost.fileservice.service.ShortUrls;
import io.filehost.fileservice.service.TrashPurge;
import io.filehost.fileservice.support.Db;
import io.filehost.fileservice.support.FakeFolderService;
import io.filehost.fileservice.support.FileApi;
import io.filehost.fileservice.support.Json;
import io.filehost.storage.StorageConfig;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(FakeFolderService.class)
class FileOperationsTest {
    static final List<String> INFO_FIELDS = List.of("id", "filename", "shortUrl", "fileType", "extension", "fileSize",
            "uploadedIP", "uploadedDate", "file_status", "downloads", "lastAccessed", "folderId", "keywords", "isPublic",
            "uploadSource", "url_file", "url_file_info", "url_file_stats", "url_file_delete", "hash");

    @Inject
    DataSource dataSource;

    @Inject
    MinioClient minio;

    @Inject
    StorageConfig storage;

    @Inject
    TrashPurge purge;

    @Inject
    io.filehost.fileservice.service.OrphanSweep orphans;

    @Test
    void infoHasTheDocumentedFieldsInOrderAsStrings() {
        FileApi api = FileApi.newAccount();
        String id = api.uploadId("photo.JPG", "jpeg bytes");
        JsonNode root = Json.read(api.call("info", "file_id", id).then().statusCode(200).extract().asString());
        assertEquals(List.of("data", "_status", "_datetime"), Json.keys(root));
        JsonNode data = root.get("data");
        assertEquals(INFO_FIELDS, Json.keys(data));
        String shortUrl = ShortUrls.encode(Long.parseLong(id));
        String url = FileApi.BASE + "/" + shortUrl;
        assertEquals(id, data.get("id").asText());
        assertEquals("photo.JPG", data.get("filename").asText());
        assertEquals(shortUrl, data.get("shortUrl").asText());
        assertEquals("image/jpeg", data.get("fileType").asText());
        assertEquals("jpg", data.get("extension").asText());
        assertEquals("10", data.get("fileSize").asText());
        assertTrue(data.get("fileSize").isTextual());
        assertTrue(data.get("uploadedDate").asText().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"));
        assertEquals("active", data.get("file_status").asText());
        assertEquals("0", data.get("downloads").asText());
        assertTrue(data.get("lastAccessed").isNull());
        assertTrue(data.get("folderId").isNull());
        assertEquals("photo,jpg", data.get("keywords").asText());
        assertEquals("1", data.get("isPublic").asText());
        assertEquals(url, data.get("url_file").asText());
        assertEquals(url + "~i", data.get("url_file_info").asText());
        assertEquals(url + "~s", data.get("url_file_stats").asText());
        assertTrue(data.get("url_file_delete").asText().matches(java.util.regex.Pattern.quote(url) + "~d\\?[0-9a-f]{32}"));
    }

    /** Our addition after the documented fields: the md5 /file/upload answered, in every answer carrying file info. */
    @Test
    void hashIsTheMd5OfTheContentInEveryAnswerWithFileInfo() throws Exception {
        FileApi api = FileApi.newAccount();
        String content = "hash me " + api.tenantId + " " + api.accountId;
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                .digest(content.getBytes(StandardCharsets.UTF_8)));
        String uploaded = api.upload("h.txt", content).then().statusCode(200).extract().path("data[0].hash");
        assertEquals(md5, uploaded);
        String id = api.uploadId("hashed.txt", content); // deduplicated: the same stored object, the same md5
        String folder = Long.toString(FakeFolderService.activeFolder(api.accountId, 4));
        api.call("info", "file_id", id).then().statusCode(200).body("data.hash", equalTo(md5));
        api.call("edit", "file_id", id, "filename", "renamed.txt").then().statusCode(200)
                .body("data.hash", equalTo(md5));
        api.call("move", "file_id", id, "new_parent_folder_id", folder).then().statusCode(200)
                .body("data.hash", equalTo(md5));
        String copyId = api.call("copy", "file_id", id, "copy_to_folder_id", "null").then().statusCode(200)
                .body("original_file.data.hash", equalTo(md5)).body("new_file.data.hash", equalTo(md5))
                .extract().path("new_file.data.id");
        api.call("info", "file_id", copyId).then().statusCode(200).body("data.hash", equalTo(md5));
        api.call("delete", "file_id", id).then().statusCode(200).body("data.hash", equalTo(md5));
        api.call("info", "file_id", id).then().statusCode(200).body("data.file_status", equalTo("trash"))
                .body("data.hash", equalTo(md5));
    }

    @Test
    void everyIdTakingActionNeedsTheFileIdAndRefusesOtherAccountsAndTenants() {
        FileApi api = FileApi.newAccount();
        String id = api.uploadId("mine.txt", "mine");
        for (String action : List.of("info", "edit", "delete", "move", "copy", "download")) {
            api.call(action).then().statusCode(400).body("response", equalTo("Please provide the file_id param."));
            for (FileApi stranger : List.of(api.sibling(), api.otherTenant())) {
                stranger.call(action, "file_id", id, "new_parent_folder_id", "null", "copy_to_folder_id", "null",
                                "filename", "stolen.txt").then().statusCode(404)
                        .body("response", equalTo("Could not find file based on file_id."));
            }
        }
        api.call("info", "file_id", "abc").then().statusCode(404);
        api.call("download", "short_url", ShortUrls.encode(Long.parseLong(id))).then().statusCode(200);
        api.sibling().call("download", "short_url", ShortUrls.encode(Long.parseLong(id))).then().statusCode(404);
        api.call("info", "file_id", id).then().body("data.filename", equalTo("mine.txt"))
                .body("data.file_status", equalTo("active"));
    }

    @Test
    void editRenamesRetypesAndMovesWithNullMeaningRoot() {
        FileApi api = FileApi.newAccount();
        String id = api.uploadId("old.txt", "text");
        String folder = Long.toString(FakeFolderService.activeFolder(api.accountId, 3));
        JsonNode root = Json.read(api.call("edit", "file_id", id, "filename", "New Name.md", "fileType", "text/x-custom",
                "folder_id", folder).then().statusCode(200).extract().asString());
        assertEquals(List.of("response", "data", "_status", "_datetime"), Json.keys(root));
        assertEquals("File successfully updated.", root.get("response").asText());
        assertEquals(INFO_FIELDS, Json.keys(root.get("data")));
        assertEquals("New Name.md", root.get("data").get("filename").asText());
        assertEquals("md", root.get("data").get("extension").asText());
        assertEquals("new,name,md", root.get("data").get("keywords").asText());
        assertEquals("text/x-custom", root.get("data").get("fileType").asText());
        assertEquals(folder, root.get("data").get("folderId").asText());
        api.call("edit", "file_id", id, "folder_id", "null").then().statusCode(200)
                .body("data.folderId", equalTo(null)).body("data.filename", equalTo("New Name.md"));
        api.call("edit", "file_id", id, "folder_id", Long.toString(FakeFolderService.activeFolder(api.accountId + 1, 1)))
                .then().statusCode(404)
                .body("response", equalTo("Could not find the destination folder id defined by folder_id."));
    }

    @Test
    void deleteTrashesAndClearsTheFolder() {
        FileApi api = FileApi.newAccount();
        String folder = Long.toString(FakeFolderService.activeFolder(api.accountId, 1));
        String id = api.gateway().multiPart("folder_id", folder).multiPart("upload_file", "d.txt", "d".getBytes(),
                "text/plain").post("/api/v2/file/upload").then().statusCode(200).extract().path("data[0].file_id");
        JsonNode root = Json.read(api.call("delete", "file_id", id).then().statusCode(200).extract().asString());
        assertEquals(List.of("response", "data", "_status", "_datetime"), Json.keys(root));
        assertEquals("File successfully set as deleted.", root.get("response").asText());
        assertEquals("trash", root.get("data").get("file_status").asText());
        assertTrue(root.get("data").get("folderId").isNull());
        api.call("delete", "file_id", id).then().statusCode(404)
                .body("response", equalTo("Could not find file based on file_id."));
        api.call("info", "file_id", id).then().statusCode(200).body("data.file_status", equalTo("trash"));
    }

    @Test
    void moveNeedsAnOwnedActiveFolderOrNull() {
        FileApi api = FileApi.newAccount();
        String id = api.uploadId("m.txt", "m");
        api.call("move", "file_id", id).then().statusCode(400)
                .body("response", equalTo("Please provide the new_parent_folder_id param."));
        for (long bad : new long[]{FakeFolderService.activeFolder(api.accountId + 1, 1),
                FakeFolderService.trashedFolder(api.accountId)}) {
            api.call("move", "file_id", id, "new_parent_folder_id", Long.toString(bad)).then().statusCode(404)
                    .body("response", equalTo("Could not find the destination folder id defined by new_parent_folder_id."));
        }
        String folder = Long.toString(FakeFolderService.activeFolder(api.accountId, 5));
        api.call("move", "file_id", id, "new_parent_folder_id", folder).then().statusCode(200)
                .body("response", equalTo("File successfully moved.")).body("data.folderId", equalTo(folder));
        api.call("move", "file_id", id, "new_parent_folder_id", "null").then().statusCode(200)
                .body("data.folderId", equalTo(null));
    }

    @Test
    void copySharesTheStoredObjectAndSurvivesThePurgeOfTheOriginal() throws Exception {
        FileApi api = FileApi.newAccount();
        String id = api.uploadId("shared.bin", "shared content " + api.tenantId);
        api.call("copy", "file_id", id).then().statusCode(400)
                .body("response", equalTo("Please provide the copy_to_folder_id param."));
        api.call("copy", "file_id", id, "copy_to_folder_id", Long.toString(FakeFolderService.trashedFolder(api.accountId)))
                .then().statusCode(404)
                .body("response", equalTo("Could not find the destination folder id defined by copy_to_folder_id."));
        String folder = Long.toString(FakeFolderService.activeFolder(api.accountId, 2));
        JsonNode root = Json.read(api.call("copy", "file_id", id, "copy_to_folder_id", folder).then().statusCode(200)
                .extract().asString());
        assertEquals(List.of("response", "original_file", "new_file", "_status", "_datetime"), Json.keys(root));
        assertEquals("File successfully copyied.", root.get("response").asText());
        assertEquals(List.of("data"), Json.keys(root.get("original_file")));
        assertEquals(INFO_FIELDS, Json.keys(root.get("new_file").get("data")));
        assertEquals(id, root.get("original_file").get("data").get("id").asText());
        String copyId = root.get("new_file").get("data").get("id").asText();
        assertNotEquals(id, copyId);
        assertEquals(folder, root.get("new_file").get("data").get("folderId").asText());
        assertEquals("shared.bin", root.get("new_file").get("data").get("filename").asText());

        List<Object[]> objects = Db.query(dataSource, "select distinct o.id, o.object_key, o.ref_count from file_record f "
                + "join stored_object o on o.id = f.stored_object_id where f.id in (?, ?)", Long.parseLong(id),
                Long.parseLong(copyId));
        assertEquals(1, objects.size(), "copy and original share one stored object");
        assertEquals(2, ((Number) objects.get(0)[2]).intValue());
        String key = objects.get(0)[1].toString();
        assertTrue(key.startsWith(api.tenantId + "/"));
        assertEquals(1, count(api), "one object in S3 for both records");

        api.call("delete", "file_id", id).then().statusCode(200);
        purge.purgeTrashedBefore(Instant.now().plusSeconds(5));
        api.call("info", "file_id", id).then().statusCode(404);
        assertEquals(1, Db.count(dataSource, "select ref_count from stored_object where object_key = ?", key));
        minio.statObject(StatObjectArgs.builder().bucket(storage.bucket()).object(key).build());
        String url = api.call("download", "file_id", copyId).then().statusCode(200).extract().path("data.download_url");
        api.publicGet(url.substring(FileApi.BASE.length() + 1)).then().statusCode(200)
                .body(equalTo("shared content " + api.tenantId));

        api.call("delete", "file_id", copyId).then().statusCode(200);
        purge.purgeTrashedBefore(Instant.now().plusSeconds(5));
        assertEquals(0, Db.count(dataSource, "select count(*) from stored_object where object_key = ?", key));
        assertThrows(ErrorResponseException.class, () -> minio.statObject(
                StatObjectArgs.builder().bucket(storage.bucket()).object(key).build()));
    }

    @Test
    void identicalContentIsStoredOnceButCountedPerFile() {
        FileApi api = FileApi.newAccount();
        String content = "same bytes " + api.tenantId;
        String first = api.uploadId("one.txt", content);
        String second = api.uploadId("two.txt", content);
        List<Object[]> objects = Db.query(dataSource, "select distinct stored_object_id from file_record where id in (?, ?)",
                Long.parseLong(first), Long.parseLong(second));
        assertEquals(1, objects.size());
        assertEquals(1, count(api), "the second upload's object was removed after dedup");
        assertEquals(2L * content.length(), Db.count(dataSource,
                "select used_bytes from account_usage where tenant_id = ? and account_id = ?", api.tenantId, api.accountId));
        // Another tenant with the same content gets its own object: dedup never crosses tenants.
        FileApi other = FileApi.newAccount();
        String third = other.uploadId("three.txt", content);
        assertNotEquals(objects.get(0)[0], Db.query(dataSource, "select stored_object_id from file_record where id = ?",
                Long.parseLong(third)).get(0)[0]);
    }

    @Test
    void parallelUploadsOfIdenticalContentShareOneObject() throws Exception {
        FileApi api = FileApi.newAccount();
        String content = "raced bytes " + api.tenantId;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<String>> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String name = "race" + i + ".txt";
                ids.add(pool.submit(() -> api.uploadId(name, content)));
            }
            java.util.Set<Object> objects = new java.util.HashSet<>();
            for (var id : ids) {
                objects.add(Db.query(dataSource, "select stored_object_id from file_record where id = ?",
                        Long.parseLong(id.get(60, java.util.concurrent.TimeUnit.SECONDS))).get(0)[0]);
            }
            assertEquals(1, objects.size());
            assertEquals(4, Db.count(dataSource, "select ref_count from stored_object where id = ?", objects.iterator().next()));
            assertEquals(1, count(api));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailingFolderServiceIsAnErrorNotASilentDefault() {
        FileApi api = FileApi.newAccount();
        String id = api.uploadId("f.txt", "f");
        api.call("move", "file_id", id, "new_parent_folder_id",
                Long.toString(FakeFolderService.failingFolder(api.accountId))).then().statusCode(503)
                .body("_status", equalTo("error"))
                .body("response", equalTo("The service is temporarily unavailable. Please try again shortly."));
        api.gateway().multiPart("folder_id", Long.toString(FakeFolderService.failingFolder(api.accountId)))
                .multiPart("upload_file", "g.txt", "g".getBytes(), "text/plain").post("/api/v2/file/upload")
                .then().statusCode(503);
        assertEquals(1, count(api), "the refused upload left no object");
        api.call("info", "file_id", id).then().body("data.folderId", equalTo(null));
    }

    @Test
    void theOrphanSweepRemovesOnlyUnreferencedObjects() throws Exception {
        FileApi api = FileApi.newAccount();
        api.uploadId("kept.txt", "kept " + api.tenantId);
        String orphan = api.tenantId + "/" + java.util.UUID.randomUUID();
        byte[] bytes = "left behind by a crash".getBytes();
        minio.putObject(io.minio.PutObjectArgs.builder().bucket(storage.bucket()).object(orphan)
                .stream(new java.io.ByteArrayInputStream(bytes), bytes.length, -1).build());
        assertEquals(2, count(api));
        assertEquals(0, orphans.sweep(api.tenantId + "/", Instant.now().minusSeconds(3600)), "young objects are kept");
        assertEquals(1, orphans.sweep(api.tenantId + "/", Instant.now().plusSeconds(60)));
        assertEquals(1, count(api));
        assertThrows(ErrorResponseException.class, () -> minio.statObject(
                StatObjectArgs.builder().bucket(storage.bucket()).object(orphan).build()));
    }

    private long count(FileApi api) {
        long n = 0;
        for (var ignored : minio.listObjects(io.minio.ListObjectsArgs.builder().bucket(storage.bucket())
                .prefix(api.tenantId + "/").recursive(true).build())) {
            n++;
        }
        return n;
    }
}
