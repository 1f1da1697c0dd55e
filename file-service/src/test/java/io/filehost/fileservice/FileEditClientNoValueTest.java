package io.filehost.fileservice;

import io.filehost.fileservice.support.FakeFolderService;
import io.filehost.fileservice.support.FileApi;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.equalTo;

/**
 * Real clients' "no value" on /file/edit (behaviour.md §5): primeuploads-py sends {@code None} for an
 * unset {@code folder_id} (and some clients put the new file name there). Upstream ignores a value that cannot be a
 * folder id; the folder stays and the rest of the edit applies. A numeric id not owned stays refused.
 */
@QuarkusTest
@QuarkusTestResource(FakeFolderService.class)
class FileEditClientNoValueTest {
    static final String DESTINATION_NOT_FOUND = "Could not find the destination folder id defined by folder_id.";

    @Test
    void aFolderIdThatCannotBeAFolderIdLeavesTheFolderAndTheRestApplies() {
        FileApi api = FileApi.newAccount();
        String folder = Long.toString(FakeFolderService.activeFolder(api.accountId, 2));
        String id = api.gateway().multiPart("folder_id", folder).multiPart("upload_file", "old.txt", "x".getBytes(),
                "text/plain").post("/api/v2/file/upload").then().statusCode(200).extract().path("data[0].file_id");
        // A client that sends Python's None for the folder it was not given.
        api.call("edit", "file_id", id, "filename", "new.txt", "folder_id", "None")
                .then().statusCode(200).body("response", equalTo("File successfully updated."))
                .body("data.filename", equalTo("new.txt")).body("data.folderId", equalTo(folder));
        api.call("edit", "file_id", id, "filename", "newer.txt", "folder_id", "newer.txt")
                .then().statusCode(200).body("data.filename", equalTo("newer.txt"))
                .body("data.folderId", equalTo(folder));
        api.call("edit", "file_id", id, "folder_id", "12abc").then().statusCode(200)
                .body("data.folderId", equalTo(folder));
        api.call("info", "file_id", id).then().body("data.folderId", equalTo(folder))
                .body("data.filename", equalTo("newer.txt"));
    }

    @Test
    void aNumericFolderIdNotOwnedIsStillRefusedAndNullIsStillTheRoot() {
        FileApi api = FileApi.newAccount();
        String id = api.uploadId("mine.txt", "mine");
        String theirs = Long.toString(FakeFolderService.activeFolder(api.accountId + 1, 1));
        api.call("edit", "file_id", id, "filename", "renamed.txt", "folder_id", theirs).then().statusCode(404)
                .body("response", equalTo(DESTINATION_NOT_FOUND));
        api.call("edit", "file_id", id, "folder_id", "-4").then().statusCode(404)
                .body("response", equalTo(DESTINATION_NOT_FOUND));
        api.call("info", "file_id", id).then().body("data.filename", equalTo("mine.txt"));
        String mine = Long.toString(FakeFolderService.activeFolder(api.accountId, 1));
        api.call("edit", "file_id", id, "folder_id", mine).then().statusCode(200).body("data.folderId", equalTo(mine));
        api.call("edit", "file_id", id, "folder_id", "null").then().statusCode(200)
                .body("data.folderId", equalTo(null));
    }
}
