package io.filehost.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
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
