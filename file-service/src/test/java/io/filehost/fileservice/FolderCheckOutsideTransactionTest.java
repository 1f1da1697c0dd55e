package io.filehost.fileservice;

import io.filehost.fileservice.client.FolderClient;
import io.filehost.fileservice.support.FakeFolderService;
import io.filehost.fileservice.support.FileApi;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A folder check may wait through folder-service's time limit and retries: it must happen before a transaction opens,
 * so a slow folder-service never holds pooled database connections. The folder client is replaced by one that notes
 * whether a transaction is active on the calling thread while it is asked.
 */
@QuarkusTest
@QuarkusTestResource(FakeFolderService.class)
class FolderCheckOutsideTransactionTest {
    private final List<String> checks = new CopyOnWriteArrayList<>();

    @BeforeEach
    void noteTheTransactionDuringEveryCheck() {
        QuarkusMock.installMockForType(new FolderClient() {
            @Override
            public boolean ownsActiveFolder(long folderId, String jwt) {
                checks.add(QuarkusTransaction.isActive() ? "in a transaction" : "outside");
                return true;
            }
        }, FolderClient.class);
    }

    @Test
    void editMoveAndCopyCheckTheDestinationOutsideAnyTransaction() {
        FileApi api = FileApi.newAccount();
        String id = api.uploadId("a.txt", "hello");
        String first = Long.toString(FakeFolderService.activeFolder(api.accountId, 1));
        String second = Long.toString(FakeFolderService.activeFolder(api.accountId, 2));
        api.call("edit", "file_id", id, "folder_id", first).then().statusCode(200)
                .body("data.folderId", equalTo(first));
        api.call("move", "file_id", id, "new_parent_folder_id", second).then().statusCode(200)
                .body("data.folderId", equalTo(second));
        api.call("copy", "file_id", id, "copy_to_folder_id", first).then().statusCode(200)
                .body("new_file.data.folderId", equalTo(first));
        assertEquals(List.of("outside", "outside", "outside"), checks);
    }

    @Test
    void anUnknownFileIsNotFoundBeforeItsFolderIsAsked() {
        FileApi api = FileApi.newAccount();
        String folder = Long.toString(FakeFolderService.activeFolder(api.accountId, 1));
        api.call("move", "file_id", "999999999", "new_parent_folder_id", folder).then().statusCode(404)
                .body("response", equalTo("Could not find file based on file_id."));
        assertEquals(List.of(), checks);
    }
}
