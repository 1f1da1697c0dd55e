package io.filehost.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.filehost.systemtests.FolderFixtures.Session;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.filehost.systemtests.Platform.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 §6 through the gateway: primeuploads-py (on PyPI) sends Python's {@code None} as the text {@code None} for
 * every optional parameter it was not given. Upstream reads those as "no value"; so do we (behaviour.md §5–6), while
 * a numeric id that is not the account's stays refused.
 */
class RealClientNoValueTest {

    @Test
    void folderCreateAndEditWithNoneValues() {
        Session client = FolderFixtures.session(Platform.newDemoAccount());
        JsonNode created = client.ok(client.post("create", "folder_name", "docs", "parent_id", "None",
                "is_public", "None", "access_password", "None"));
        String docs = created.at("/data/id").asText();
        assertTrue(created.at("/data/parentId").isNull(), created.toString());
        assertTrue(created.at("/data/accessPassword").isNull(), created.toString());

        String child = client.ok(client.post("create", "folder_name", "child", "parent_id", docs)).at("/data/id")
                .asText();
        JsonNode edited = client.ok(client.post("edit", "folder_id", child, "folder_name", "renamed",
                "parent_id", "None", "is_public", "None", "access_password", "None"));
        assertEquals(docs, edited.at("/data/parentId").asText());
        assertEquals("renamed", edited.at("/data/folderName").asText());

        Session stranger = FolderFixtures.session(Platform.newDemoAccount());
        String theirs = stranger.create("theirs", null);
        Response refused = client.post("create", "folder_name", "x", "parent_id", theirs);
        assertEquals("Could not find the destination folder id defined by parent_id.",
                read(refused.asString()).get("response").asText(), refused.asString());
        Response badPassword = client.post("create", "folder_name", "x", "access_password", "secret");
        assertEquals("The access_password param must be an MD5 hash of the password: 32 hexadecimal characters.",
                read(badPassword.asString()).get("response").asText(), badPassword.asString());
    }

    @Test
    void fileEditWithANoneFolderKeepsTheFolderAndRenames() {
        Platform.Account account = Platform.newDemoAccount();
        Session folders = FolderFixtures.session(account);
        String folder = folders.create("kept", null);
        FileFixtures client = FileFixtures.newClient(account);
        String id = client.upload("old.txt", "content");
        client.call("edit", "file_id", id, "folder_id", folder).then().statusCode(200);
        JsonNode edited = read(client.call("edit", "file_id", id, "filename", "new.txt", "folder_id", "None")
                .then().statusCode(200).extract().asString());
        assertEquals("new.txt", edited.at("/data/filename").asText());
        assertEquals(folder, edited.at("/data/folderId").asText());
        Response refused = client.call("edit", "file_id", id, "folder_id",
                FolderFixtures.session(Platform.newDemoAccount()).create("theirs", null));
        assertEquals("Could not find the destination folder id defined by folder_id.",
                read(refused.asString()).get("response").asText(), refused.asString());
    }
}
