package io.filehost.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.filehost.systemtests.Platform.Account;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * folder-service and file-service together, through the gateway: totals follow uploads and copies, a folder delete
 * reaches the files over Kafka (outbox → folder.events → file-service), and another account's folders are refused
 * by the file endpoints.
 */
class FolderAndFilesTogetherTest {
    private static final String CONTENT = "bytes that live in a folder tree";

    @Test
    void totalsFollowTheFilesAndDeletingTheTreeTrashesThem() throws Exception {
        Account account = Platform.newDemoAccount();
        FolderFixtures.Session folders = FolderFixtures.session(account);
        String token = folders.token();
        String top = folders.create("top", null);
        String child = folders.create("child", top);

        String fileId = upload(account, token, child);
        JsonNode topInfo = folders.ok(folders.get("info", "folder_id", top)).get("data");
        assertEquals(Integer.toString(CONTENT.length()), topInfo.get("totalSize").asText(), topInfo.toString());
        assertEquals(0, topInfo.get("file_count").asInt());
        assertEquals(1, topInfo.get("child_folder_count").asInt());

        JsonNode copy = Platform.read(file(account, token, "copy", "file_id", fileId, "copy_to_folder_id", top)
                .then().statusCode(200).extract().asString());
        String copyId = copy.at("/new_file/data/id").asText();
        topInfo = folders.ok(folders.get("info", "folder_id", top)).get("data");
        assertEquals(Integer.toString(2 * CONTENT.length()), topInfo.get("totalSize").asText(), topInfo.toString());
        assertEquals(1, topInfo.get("file_count").asInt());

        folders.ok(folders.post("delete", "folder_id", top));
        long started = System.nanoTime();
        for (String id : new String[] {fileId, copyId}) {
            JsonNode info = null;
            while (System.nanoTime() - started < 15_000_000_000L) {
                info = Platform.read(file(account, token, "info", "file_id", id).asString()).get("data");
                if ("trash".equals(info.get("file_status").asText())) {
                    break;
                }
                Thread.sleep(50);
            }
            assertEquals("trash", info.get("file_status").asText(), "file " + id + " after the folder delete: " + info);
            assertTrue(info.get("folderId").isNull(), info.toString());
        }
        System.out.printf("folder delete reached the files after %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    void anotherAccountsFolderIsRefusedByTheFileEndpoints() {
        Account owner = Platform.newDemoAccount();
        String foreignFolder = FolderFixtures.session(owner).create("not yours", null);
        Account intruder = Platform.newDemoAccount();
        String token = Platform.authorize(intruder);

        // Upstream-compatible tenant: an upload into a folder that is not the account's lands in the root folder.
        String fileId = upload(intruder, token, foreignFolder);
        JsonNode info = Platform.read(file(intruder, token, "info", "file_id", fileId).asString()).get("data");
        assertTrue(info.get("folderId").isNull(), info.toString());

        assertEquals("Could not find the destination folder id defined by copy_to_folder_id.",
                file(intruder, token, "copy", "file_id", fileId, "copy_to_folder_id", foreignFolder)
                        .then().extract().path("response"));
        assertEquals("Could not find the destination folder id defined by new_parent_folder_id.",
                file(intruder, token, "move", "file_id", fileId, "new_parent_folder_id", foreignFolder)
                        .then().extract().path("response"));
        Response listing = given().queryParam("access_token", token).queryParam("account_id", intruder.accountId())
                .queryParam("parent_folder_id", foreignFolder).get("/api/v2/folder/listing");
        assertEquals("Could not find folder based on folder_id.", listing.then().extract().path("response"));
    }

    private static String upload(Account account, String token, String folderId) {
        return given().multiPart("access_token", token).multiPart("account_id", account.accountId())
                .multiPart("folder_id", folderId)
                .multiPart("upload_file", "tree.txt", CONTENT.getBytes(StandardCharsets.UTF_8), "text/plain")
                .post("/api/v2/file/upload").then().statusCode(200).extract().path("data[0].file_id");
    }

    private static Response file(Account account, String token, String action, String... params) {
        RequestSpecification request = given().queryParam("access_token", token)
                .queryParam("account_id", account.accountId());
        for (int i = 0; i < params.length; i += 2) {
            request.queryParam(params[i], params[i + 1]);
        }
        return request.get("/api/v2/file/" + action);
    }
}
