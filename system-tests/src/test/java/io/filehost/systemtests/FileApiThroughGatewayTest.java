package io.filehost.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file API end to end through the gateway, against the running platform (./dev test). */
class FileApiThroughGatewayTest {
    private static final String CONTENT = "0123456789abcdefghijklmnopqrstuvwxyz";

    @Test
    void anUploadWorksWithTheCredentialsBeforeOrAfterTheFile() {
        FileFixtures client = FileFixtures.newClient();
        for (boolean credentialsFirst : new boolean[]{true, false}) {
            byte[] bytes = ("content " + credentialsFirst).getBytes(StandardCharsets.UTF_8);
            String name = "Ünïcode " + credentialsFirst + ".txt";
            JsonNode body = Platform.read((credentialsFirst ? client.uploadCredentialsFirst(name, bytes)
                    : client.uploadCredentialsLast(name, bytes)).then().statusCode(200).extract().asString());
            assertEquals(List.of("response", "data", "_status", "_datetime"), Platform.keys(body));
            assertEquals("File uploaded", body.get("response").asText());
            JsonNode file = body.get("data").get(0);
            assertEquals(name, file.get("name").asText());
            assertEquals(Integer.toString(bytes.length), file.get("size").asText());
            assertTrue(file.get("url").asText().endsWith("/" + file.get("short_url").asText()));
        }
    }

    @Test
    void infoAndADownloadUrlWithRangeThroughTheGateway() {
        FileFixtures client = FileFixtures.newClient();
        String id = client.upload("range.txt", CONTENT);
        client.call("info", "file_id", id).then().statusCode(200)
                .contentType("application/json")
                .body("data.id", equalTo(id)).body("data.filename", equalTo("range.txt"))
                .body("data.fileSize", equalTo("36")).body("data.file_status", equalTo("active"));
        String url = client.call("download", "file_id", id).then().statusCode(200)
                .body("data.download_url", matchesPattern(".*\\?download_token=[0-9a-f]{64}"))
                .extract().path("data.download_url");
        FileFixtures.publicUrl().get(url).then().statusCode(200).body(equalTo(CONTENT))
                .header("Accept-Ranges", "bytes");
        FileFixtures.publicUrl().header("Range", "bytes=10-15").get(url).then().statusCode(206)
                .header("Content-Range", "bytes 10-15/36").body(equalTo("abcdef"));
        FileFixtures.publicUrl().header("Range", "bytes=99-").get(url).then().statusCode(416)
                .header("Content-Range", "bytes */36");
    }

    /**
     * Our additions after the documented fields: file info ends with {@code hash} (the md5 of the bytes, as the upload
     * answered it), a listing's file entry with {@code uploadedDate} (file info's value).
     */
    @Test
    void infoEndsWithTheMd5AndTheListingWithTheUploadDate() throws Exception {
        FileFixtures client = FileFixtures.newClient();
        byte[] bytes = ("md5 of these bytes " + client.account.accountId()).getBytes(StandardCharsets.UTF_8);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        JsonNode uploaded = Platform.read(client.uploadCredentialsFirst("hashed.bin", bytes).then().statusCode(200)
                .extract().asString()).get("data").get(0);
        assertEquals(md5, uploaded.get("hash").asText());
        String id = uploaded.get("file_id").asText();

        JsonNode info = Platform.read(client.call("info", "file_id", id).then().statusCode(200).extract().asString())
                .get("data");
        List<String> infoKeys = Platform.keys(info);
        assertEquals(List.of("url_file_delete", "hash"), infoKeys.subList(infoKeys.size() - 2, infoKeys.size()));
        assertEquals(md5, info.get("hash").asText());
        JsonNode copy = Platform.read(client.call("copy", "file_id", id, "copy_to_folder_id", "null").then()
                .statusCode(200).extract().asString());
        assertEquals(md5, copy.get("new_file").get("data").get("hash").asText());

        JsonNode files = Platform.read(FolderFixtures.session(client.account).get("listing").then().statusCode(200)
                .extract().asString()).get("data").get("files");
        JsonNode entry = null;
        for (JsonNode file : files) {
            if (file.get("id").asText().equals(id)) {
                entry = file;
            }
        }
        assertNotEquals(null, entry, files.toString());
        List<String> entryKeys = Platform.keys(entry);
        assertEquals(List.of("url_file", "uploadedDate"), entryKeys.subList(entryKeys.size() - 2, entryKeys.size()));
        assertEquals(info.get("uploadedDate").asText(), entry.get("uploadedDate").asText());
        assertTrue(entry.get("uploadedDate").asText().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"));
    }

    @Test
    void copySharesTheBytesAndDeleteTrashes() {
        FileFixtures client = FileFixtures.newClient();
        String id = client.upload("copy.txt", CONTENT);
        JsonNode copy = Platform.read(client.call("copy", "file_id", id, "copy_to_folder_id", "null").then()
                .statusCode(200).extract().asString());
        assertEquals("File successfully copyied.", copy.get("response").asText());
        String copyId = copy.get("new_file").get("data").get("id").asText();
        assertNotEquals(id, copyId);
        client.call("delete", "file_id", id).then().statusCode(200)
                .body("response", equalTo("File successfully set as deleted."))
                .body("data.file_status", equalTo("trash"));
        String url = client.call("download", "file_id", copyId).then().statusCode(200).extract()
                .path("data.download_url");
        FileFixtures.publicUrl().get(url).then().statusCode(200).body(equalTo(CONTENT));
    }

    @Test
    void anotherAccountCannotSeeOrTouchTheFile() {
        FileFixtures owner = FileFixtures.newClient();
        FileFixtures stranger = FileFixtures.newClient();
        String id = owner.upload("private.txt", CONTENT);
        for (String action : List.of("info", "download", "delete", "edit")) {
            stranger.call(action, "file_id", id, "filename", "x.txt").then()
                    .body("response", equalTo("Could not find file based on file_id."))
                    .body("_status", equalTo("error"));
        }
        owner.call("info", "file_id", id).then().statusCode(200).body("data.filename", equalTo("private.txt"))
                .body("data.file_status", equalTo("active"));
    }
}
