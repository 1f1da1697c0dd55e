package io.filehost.fileservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.filehost.common.internal.PackageLimits;
import io.filehost.fileservice.service.ShortUrls;
import io.filehost.fileservice.support.FakeFolderService;
import io.filehost.fileservice.support.FileApi;
import io.filehost.fileservice.support.Json;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(FakeFolderService.class)
class FileUploadTest {

    @Test
    void shortUrlsAreBase62OfOnePlusTheId() {
        assertEquals("2Vv", ShortUrls.encode(1253));
        assertEquals("2U1", ShortUrls.encode(1161));
        assertEquals(1253L, ShortUrls.decode("2Vv"));
        assertEquals(null, ShortUrls.decode("0"));
        assertEquals(null, ShortUrls.decode("a-b"));
    }

    @Test
    void anUploadAnswersEveryDocumentedFieldInOrder() throws Exception {
        FileApi api = FileApi.newAccount();
        String content = "hello, uploaded world\n";
        String body = api.upload("Report_2024-final (v1).PDF", content).then().statusCode(200)
                .contentType("application/json").extract().asString();
        JsonNode root = Json.read(body);
        assertEquals(List.of("response", "data", "_status", "_datetime"), Json.keys(root));
        assertEquals("File uploaded", root.get("response").asText());
        assertEquals("success", root.get("_status").asText());
        assertTrue(root.get("_datetime").asText().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"));
        assertTrue(root.get("data").isArray());
        assertEquals(1, root.get("data").size());
        JsonNode file = root.get("data").get(0);
        assertEquals(List.of("name", "size", "type", "error", "url", "delete_url", "info_url", "delete_type",
                "delete_hash", "hash", "stats_url", "short_url", "file_id", "unique_hash", "url_html", "url_bbcode"),
                Json.keys(file));
        String id = file.get("file_id").asText();
        String shortUrl = ShortUrls.encode(Long.parseLong(id));
        String url = FileApi.BASE + "/" + shortUrl;
        String deleteHash = file.get("delete_hash").asText();
        assertEquals("Report_2024-final (v1).PDF", file.get("name").asText());
        assertEquals(Integer.toString(content.length()), file.get("size").asText());
        assertTrue(file.get("size").isTextual());
        assertEquals("application/pdf", file.get("type").asText());
        assertTrue(file.get("error").isNull());
        assertEquals(url, file.get("url").asText());
        assertTrue(deleteHash.matches("[0-9a-f]{32}"));
        assertEquals(url + "~d?" + deleteHash, file.get("delete_url").asText());
        assertEquals(url + "~i?" + deleteHash, file.get("info_url").asText());
        assertEquals("DELETE", file.get("delete_type").asText());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                .digest(content.getBytes(StandardCharsets.UTF_8))), file.get("hash").asText());
        assertEquals(url + "~s", file.get("stats_url").asText());
        assertEquals(shortUrl, file.get("short_url").asText());
        assertTrue(file.get("unique_hash").asText().matches("[0-9a-f]{64}"));
        assertTrue(file.get("url_html").asText().startsWith("<a href=\"" + url + "\""));
        assertEquals("[url]" + url + "[/url]", file.get("url_bbcode").asText());

        api.call("info", "file_id", id).then().statusCode(200)
                .body("data.extension", equalTo("pdf"))
                .body("data.keywords", equalTo("report,2024,final,v1,pdf"))
                .body("data.fileType", equalTo("application/pdf"))
                .body("data.folderId", equalTo(null))
                .body("data.uploadedIP", equalTo("203.0.113.7"));
    }

    @Test
    void theFileMayComeBeforeOrAfterTheFolderField() {
        FileApi api = FileApi.newAccount();
        String folder = Long.toString(FakeFolderService.activeFolder(api.accountId, 1));
        String before = api.gateway().multiPart("folder_id", folder)
                .multiPart("upload_file", "a.txt", "first".getBytes(StandardCharsets.UTF_8), "text/plain")
                .post("/api/v2/file/upload").then().statusCode(200).extract().path("data[0].file_id");
        String after = api.gateway()
                .multiPart("upload_file", "b.txt", "second".getBytes(StandardCharsets.UTF_8), "text/plain")
                .multiPart("folder_id", folder)
                .post("/api/v2/file/upload").then().statusCode(200).extract().path("data[0].file_id");
        api.call("info", "file_id", before).then().body("data.folderId", equalTo(folder));
        api.call("info", "file_id", after).then().body("data.folderId", equalTo(folder));
        String viaQuery = api.gateway().queryParam("folder_id", folder)
                .multiPart("upload_file", "c.txt", "third".getBytes(StandardCharsets.UTF_8), "text/plain")
                .post("/api/v2/file/upload").then().statusCode(200).extract().path("data[0].file_id");
        api.call("info", "file_id", viaQuery).then().body("data.folderId", equalTo(folder));
    }

    @Test
    void aFolderNotOwnedIsRefusedInStrictModeAndNothingIsStored() {
        FileApi api = FileApi.newAccount();
        for (long folder : new long[]{FakeFolderService.activeFolder(api.accountId + 1, 1),
                FakeFolderService.trashedFolder(api.accountId), 999_999_999_999L}) {
            api.gateway().header("X-Tenant-Strict-Http", "true")
                    .multiPart("upload_file", "x.txt", "x".getBytes(StandardCharsets.UTF_8), "text/plain")
                    .multiPart("folder_id", Long.toString(folder)).post("/api/v2/file/upload").then()
                    .statusCode(404)
                    .body("response", equalTo("Could not find the destination folder id defined by folder_id."));
        }
        api.call("info", "file_id", "1").then().statusCode(404);
    }

    @Test
    void aFolderNotOwnedMeansTheRootFolderInCompatibleMode() {
        // behaviour.md §5: upstream silently stores into the root folder; compatible tenants keep that.
        FileApi api = FileApi.newAccount();
        long othersFolder = FakeFolderService.activeFolder(api.accountId + 1, 1);
        String fileId = api.gateway().header("X-Tenant-Strict-Http", "false")
                .multiPart("folder_id", Long.toString(othersFolder))
                .multiPart("upload_file", "x.txt", "x".getBytes(StandardCharsets.UTF_8), "text/plain")
                .post("/api/v2/file/upload").then().statusCode(200).extract().path("data[0].file_id");
        api.call("info", "file_id", fileId).then().statusCode(200).body("data.folderId", equalTo(null));
    }

    @Test
    void unicodeNamesAreKeptAndCollisionsNumbered() {
        FileApi api = FileApi.newAccount();
        String name = "Ünïcödé 文件 ÿ.tar.gz";
        api.upload(name, "one").then().statusCode(200).body("data[0].name", equalTo(name));
        api.upload(name, "two").then().statusCode(200).body("data[0].name", equalTo("Ünïcödé 文件 ÿ.tar (2).gz"));
        api.upload(name, "three").then().statusCode(200).body("data[0].name", equalTo("Ünïcödé 文件 ÿ.tar (3).gz"));
        api.upload("<b>&'x'.html", "h").then().statusCode(200)
                .body("data[0].url_html", startsWith("<a href="))
                .body("data[0].url_html", org.hamcrest.Matchers.containsString("view &lt;b&gt;&amp;&#39;x&#39;.html"))
                .body("data[0].type", equalTo("text/html"));
    }

    @Test
    void missingAndEmptyFilesAreRefusedWithTheDocumentedMessages() {
        FileApi api = FileApi.newAccount();
        api.gateway().multiPart("folder_id", "").post("/api/v2/file/upload").then().statusCode(400)
                .body("response", equalTo("Did not receive uploaded file.")).body("_status", equalTo("error"))
                .body("status", equalTo("error"));
        api.gateway().multiPart("other_file", "a.txt", "abc".getBytes(StandardCharsets.UTF_8), "text/plain")
                .post("/api/v2/file/upload").then().statusCode(400)
                .body("response", equalTo("Did not receive uploaded file."));
        api.call("upload").then().statusCode(400).body("response", equalTo("Did not receive uploaded file."));
        api.upload("empty.txt", new byte[0]).then().statusCode(400)
                .body("response", equalTo("Filesize received was zero."));
    }

    @Test
    void anAccountThatMayNotUploadIsRefused() {
        PackageLimits noUpload = new PackageLimits(2, false, 0, 0, null, 0, 0, 0, 0, 0, 0, 0, 0);
        FileApi api = FileApi.newAccount(noUpload);
        api.upload("a.txt", "abc").then().statusCode(403)
                .body("response", equalTo("Your account is not permitted to upload files."));
    }

    @Test
    void unknownActionsAreNotFound() {
        FileApi.newAccount().call("frobnicate").then().statusCode(404)
                .body("response", equalTo("No method found within endpoint (file): frobnicate"));
    }
}
