package io.filehost.folderservice;

import io.filehost.folderservice.support.FakeFileService;
import io.filehost.folderservice.support.Gateway;
import io.filehost.folderservice.support.Gateway.As;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.filehost.folderservice.support.Gateway.call;
import static io.filehost.folderservice.support.Gateway.chain;
import static io.filehost.folderservice.support.Gateway.create;
import static io.filehost.folderservice.support.Gateway.error;
import static io.filehost.folderservice.support.Gateway.file;
import static io.filehost.folderservice.support.Gateway.newAccount;
import static io.filehost.folderservice.support.Gateway.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** /folder/edit and /folder/move, including cycle refusal on deep trees. */
@QuarkusTest
class FolderEditMoveTest {
    static final String NOT_FOUND = "Could not find folder based on folder_id.";
    static final String CYCLE = "A folder can not be moved into itself or into one of its own sub-folders.";
    static final String MOVE_DESTINATION = "Could not find the destination folder id defined by new_parent_folder_id.";
    static final String EDIT_DESTINATION = "Could not find the destination folder id defined by parent_id.";

    @ConfigProperty(name = FakeFileService.URL_PROPERTY)
    String fileService;

    @Test
    void editChangesOnlyWhatIsSent() {
        As as = newAccount();
        String id = create(as, "Old name", "is_public", "1", "access_password", "d9729feb74992cc3482b350163a1a010");
        Response response = call(as, "edit", "folder_id", id, "folder_name", "New name");
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals(FolderCreateInfoListingTest.INFO_FIELDS,
                FolderCreateInfoListingTest.keys(response.asString(), "data"));
        JsonPath json = response.jsonPath();
        assertEquals("Folder successfully updated.", json.get("response"));
        assertEquals("New name", json.get("data.folderName"));
        assertEquals("1", json.get("data.isPublic"));
        assertEquals("d9729feb74992cc3482b350163a1a010", json.get("data.accessPassword"));
        assertEquals(Gateway.BASE_URL + "/folder/" + id + "/New_name", json.get("data.url_folder"));
        assertNotNull(json.get("data.date_updated"));

        JsonPath cleared = ok(as, "edit", "folder_id", id, "is_public", "7", "access_password", "null");
        assertEquals("0", cleared.get("data.isPublic"));
        assertNull(cleared.get("data.accessPassword"));
        assertEquals("New name", cleared.get("data.folderName"));
        assertEquals("2", ok(as, "edit", "folder_id", id, "is_public", "2").get("data.isPublic"));
        error(as, 400, "The access_password param must be an MD5 hash of the password: 32 hexadecimal characters.",
                "edit", "folder_id", id, "access_password", "plain");
    }

    @Test
    void editMessages() {
        As as = newAccount();
        error(as, 400, "Please provide the folder_id param.", "edit", "folder_name", "x");
        error(as, 404, NOT_FOUND, "edit", "folder_id", "999999999999", "folder_name", "x");
        error(as, 404, NOT_FOUND, "edit", "folder_id", create(newAccount(), "theirs"), "folder_name", "x");
        String id = create(as, "mine");
        error(as, 400, "Param folder_id can not match parent_id.", "edit", "folder_id", id, "parent_id", id);
        error(as, 404, EDIT_DESTINATION, "edit", "folder_id", id, "parent_id", "999999999999");
        error(as, 404, EDIT_DESTINATION, "edit", "folder_id", id, "parent_id", create(newAccount(), "theirs"));
    }

    @Test
    void editReparentsAndRefusesACycle() {
        As as = newAccount();
        String a = create(as, "a");
        String b = create(as, "b", "parent_id", a);
        String c = create(as, "c", "parent_id", b);
        error(as, 400, CYCLE, "edit", "folder_id", a, "parent_id", c);
        error(as, 400, CYCLE, "edit", "folder_id", a, "parent_id", b);
        String other = create(as, "other");
        assertEquals(other, ok(as, "edit", "folder_id", b, "parent_id", other).get("data.parentId"));
        assertNull(ok(as, "edit", "folder_id", b, "parent_id", "null").get("data.parentId"));
        assertEquals(List.of(a, b, other), ok(as, "listing").getList("data.folders.id"));
        assertEquals(a, ok(as, "info", "folder_id", a).get("data.id"), "a still exists unchanged");
        assertNull(ok(as, "info", "folder_id", a).get("data.parentId"));
    }

    @Test
    void moveMessages() {
        As as = newAccount();
        String id = create(as, "f");
        error(as, 400, "Please provide the folder_id param.", "move", "new_parent_folder_id", id);
        error(as, 400, "Please provide the new_parent_folder_id param.", "move", "folder_id", id);
        error(as, 400, "Param folder_id can not match new_parent_folder_id.", "move", "folder_id", id,
                "new_parent_folder_id", id);
        error(as, 404, MOVE_DESTINATION, "move", "folder_id", id, "new_parent_folder_id", "999999999999");
        error(as, 404, MOVE_DESTINATION, "move", "folder_id", id, "new_parent_folder_id",
                create(newAccount(), "theirs"));
        String trashed = create(as, "trashed");
        ok(as, "delete", "folder_id", trashed);
        error(as, 404, MOVE_DESTINATION, "move", "folder_id", id, "new_parent_folder_id", trashed);
        error(as, 404, NOT_FOUND, "move", "folder_id", "999999999999", "new_parent_folder_id", id);
        error(as, 404, NOT_FOUND, "move", "folder_id", trashed, "new_parent_folder_id", "null");
    }

    @Test
    void moveIntoAnotherFolderAndBackToRoot() {
        As as = newAccount();
        String a = create(as, "a");
        String b = create(as, "b");
        Response response = call(as, "move", "folder_id", b, "new_parent_folder_id", a);
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("Folder successfully moved.", response.jsonPath().get("response"));
        assertEquals(a, response.jsonPath().get("data.parentId"));
        assertEquals(FolderCreateInfoListingTest.INFO_FIELDS,
                FolderCreateInfoListingTest.keys(response.asString(), "data"));
        assertEquals(1, (Integer) ok(as, "info", "folder_id", a).get("data.child_folder_count"));
        assertNull(ok(as, "move", "folder_id", b, "new_parent_folder_id", "null").get("data.parentId"));
        assertEquals(0, (Integer) ok(as, "info", "folder_id", a).get("data.child_folder_count"));
    }

    @Test
    void aFiftyDeepTreeRefusesEveryCycleAndMovesAsAWhole() {
        As as = newAccount();
        List<String> levels = chain(as, null, 50);
        String top = levels.get(0);
        String bottom = levels.get(49);
        for (String descendant : List.of(levels.get(1), levels.get(25), bottom)) {
            error(as, 400, CYCLE, "move", "folder_id", top, "new_parent_folder_id", descendant);
        }
        error(as, 400, CYCLE, "move", "folder_id", levels.get(10), "new_parent_folder_id", levels.get(30));
        assertNull(ok(as, "info", "folder_id", top).get("data.parentId"), "refusals changed nothing");

        Gateway.seedFiles(fileService, as, List.of(file("101", "deep.bin", bottom, 123, 1),
                file("102", "mid.bin", levels.get(20), 1000, 1)));
        assertEquals("1123", ok(as, "info", "folder_id", top).get("data.totalSize"));

        String target = create(as, "target");
        assertEquals(target, ok(as, "move", "folder_id", levels.get(10), "new_parent_folder_id", target)
                .get("data.parentId"));
        JsonPath targetInfo = ok(as, "info", "folder_id", target);
        assertEquals("1123", targetInfo.get("data.totalSize"), "the whole subtree moved with it");
        assertEquals(1, (Integer) targetInfo.get("data.child_folder_count"));
        assertEquals("0", ok(as, "info", "folder_id", top).get("data.totalSize"));
        assertEquals(0, (Integer) ok(as, "info", "folder_id", levels.get(9)).get("data.child_folder_count"));
        // Moving a deep folder up to the root, and the old top into it, is fine: no cycle any more.
        assertNull(ok(as, "move", "folder_id", bottom, "new_parent_folder_id", "null").get("data.parentId"));
        assertEquals(bottom, ok(as, "move", "folder_id", top, "new_parent_folder_id", bottom).get("data.parentId"));
        error(as, 400, CYCLE, "move", "folder_id", bottom, "new_parent_folder_id", levels.get(5));
    }

    @Test
    void concurrentOppositeMovesNeverCreateACycle() throws Exception {
        As as = newAccount();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                String a = create(as, "a" + round);
                String b = create(as, "b" + round);
                CompletableFuture<Integer> aIntoB = CompletableFuture.supplyAsync(() -> call(as, "move",
                        "folder_id", a, "new_parent_folder_id", b).statusCode(), pool);
                CompletableFuture<Integer> bIntoA = CompletableFuture.supplyAsync(() -> call(as, "move",
                        "folder_id", b, "new_parent_folder_id", a).statusCode(), pool);
                List<Integer> statuses = List.of(aIntoB.get(), bIntoA.get());
                assertEquals(1, statuses.stream().filter(s -> s == 200).count(), "exactly one wins: " + statuses);
                assertEquals(1, statuses.stream().filter(s -> s == 400).count(), "the other is a cycle: " + statuses);
                String aParent = ok(as, "info", "folder_id", a).get("data.parentId");
                String bParent = ok(as, "info", "folder_id", b).get("data.parentId");
                assertEquals(1, (aParent == null ? 1 : 0) + (bParent == null ? 1 : 0), "one of them is at the root");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
