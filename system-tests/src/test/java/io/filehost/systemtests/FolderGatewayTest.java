package io.filehost.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.filehost.systemtests.FolderFixtures.Session;
import io.filehost.systemtests.Platform.Account;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.filehost.systemtests.FolderFixtures.ids;
import static io.filehost.systemtests.Platform.keys;
import static io.filehost.systemtests.Platform.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** behaviour.md §6 through the gateway: every /folder action by GET and by POST, cycles and other accounts refused. */
class FolderGatewayTest {
    static final List<String> INFO_FIELDS = List.of("id", "parentId", "folderName", "totalSize", "isPublic",
            "accessPassword", "date_added", "date_updated", "url_folder", "total_downloads", "child_folder_count",
            "file_count");
    static final String NOT_FOUND = "Could not find folder based on folder_id.";
    static final String CYCLE = "A folder can not be moved into itself or into one of its own sub-folders.";

    static Session session;

    @BeforeAll
    static void signIn() {
        session = FolderFixtures.session(Platform.newDemoAccount());
    }

    @Test
    void createByGetAndByPostAnswerTheFolderInfo() {
        Response byGet = session.get("create", "folder_name", "My New Folder", "is_public", "2");
        byGet.then().statusCode(200).contentType("application/json; charset=UTF-8");
        JsonNode created = session.ok(byGet);
        assertEquals(List.of("response", "data", "_status", "_datetime"), keys(created));
        assertEquals("Folder successfully created.", created.get("response").asText());
        assertEquals(INFO_FIELDS, keys(created.get("data")));
        String id = created.at("/data/id").asText();
        assertTrue(created.at("/data/url_folder").asText().endsWith("/folder/" + id + "/My_New_Folder"),
                created.toString());
        assertEquals("2", created.at("/data/isPublic").asText());
        assertEquals(0, created.at("/data/child_folder_count").asInt());

        JsonNode child = session.ok(session.post("create", "folder_name", "child", "parent_id", id));
        assertEquals(id, child.at("/data/parentId").asText());
        JsonNode missing = read(session.post("create").asString());
        assertEquals("Please provide the folder_name param.", missing.get("response").asText());
        assertEquals("error", missing.get("_status").asText());
    }

    @Test
    void infoAndListingByGetAndByPost() {
        Session own = FolderFixtures.session(Platform.newDemoAccount());
        String b = own.create("beta", null);
        String a = own.create("Alpha", null);
        String inner = own.create("inner", b);
        JsonNode info = own.ok(own.get("info", "folder_id", b));
        assertEquals(INFO_FIELDS, keys(info.get("data")));
        assertEquals(1, info.at("/data/child_folder_count").asInt());
        assertEquals(b, own.ok(own.post("info", "parent_folder_id", b)).at("/data/id").asText());
        assertEquals("Please provide the folder_id param.", read(own.get("info").asString()).get("response").asText());

        JsonNode root = own.ok(own.get("listing"));
        assertEquals(List.of(a, b), ids(root.at("/data/folders")));
        assertTrue(root.at("/data/files").isArray());
        assertTrue(!root.at("/data/folders/0").has("accessPassword"));
        JsonNode level = own.ok(own.post("listing", "parent_folder_id", b));
        assertEquals(List.of(inner), ids(level.at("/data/folders")));
    }

    @Test
    void editAndMoveByGetAndByPostRefusingCycles() {
        Session own = FolderFixtures.session(Platform.newDemoAccount());
        List<String> chain = own.chain(null, 5);
        String top = chain.get(0);
        JsonNode edited = own.ok(own.get("edit", "folder_id", top, "folder_name", "renamed", "is_public", "9"));
        assertEquals("Folder successfully updated.", edited.get("response").asText());
        assertEquals("renamed", edited.at("/data/folderName").asText());
        assertEquals("0", edited.at("/data/isPublic").asText());

        assertEquals(CYCLE, read(own.post("move", "folder_id", top, "new_parent_folder_id", chain.get(4)).asString())
                .get("response").asText());
        assertEquals(CYCLE, read(own.get("edit", "folder_id", top, "parent_id", chain.get(2)).asString())
                .get("response").asText());
        assertEquals("Param folder_id can not match new_parent_folder_id.",
                read(own.get("move", "folder_id", top, "new_parent_folder_id", top).asString()).get("response")
                        .asText());
        assertEquals("Please provide the new_parent_folder_id param.",
                read(own.get("move", "folder_id", top).asString()).get("response").asText());

        String target = own.create("target", null);
        JsonNode moved = own.ok(own.get("move", "folder_id", chain.get(2), "new_parent_folder_id", target));
        assertEquals("Folder successfully moved.", moved.get("response").asText());
        assertEquals(target, moved.at("/data/parentId").asText());
        JsonNode back = own.ok(own.post("move", "folder_id", chain.get(2), "new_parent_folder_id", "null"));
        assertTrue(back.at("/data/parentId").isNull());
    }

    @Test
    void deleteByGetAndByPostTrashesTheWholeTree() {
        Session own = FolderFixtures.session(Platform.newDemoAccount());
        List<String> first = own.chain(null, 10);
        JsonNode deleted = own.ok(own.get("delete", "folder_id", first.get(0)));
        assertEquals(List.of("response", "_status", "_datetime"), keys(deleted));
        assertEquals("Folder successfully set as deleted.", deleted.get("response").asText());
        for (String id : first) {
            assertEquals(NOT_FOUND, read(own.get("info", "folder_id", id).asString()).get("response").asText());
        }
        List<String> second = own.chain(null, 3);
        own.ok(own.post("delete", "folder_id", second.get(1)));
        assertEquals(0, own.ok(own.get("info", "folder_id", second.get(0))).at("/data/child_folder_count").asInt());
        assertEquals(List.of(second.get(0)), ids(own.ok(own.get("listing")).at("/data/folders")));
    }

    @Test
    void anotherAccountsFoldersAreNotFoundOnEveryAction() {
        Session owner = FolderFixtures.session(Platform.newDemoAccount());
        String theirs = owner.create("private", null);
        Session intruder = FolderFixtures.session(Platform.newDemoAccount());
        String mine = intruder.create("mine", null);
        for (Response response : List.of(
                intruder.get("info", "folder_id", theirs),
                intruder.post("listing", "parent_folder_id", theirs),
                intruder.get("edit", "folder_id", theirs, "folder_name", "x"),
                intruder.post("move", "folder_id", theirs, "new_parent_folder_id", "null"),
                intruder.get("delete", "folder_id", theirs))) {
            response.then().statusCode(200);
            JsonNode body = read(response.asString());
            assertEquals("error", body.get("_status").asText());
            assertEquals(NOT_FOUND, body.get("response").asText());
        }
        assertEquals("Could not find the destination folder id defined by new_parent_folder_id.",
                read(intruder.get("move", "folder_id", mine, "new_parent_folder_id", theirs).asString())
                        .get("response").asText());
        assertEquals("Could not find the destination folder id defined by parent_id.",
                read(intruder.post("create", "folder_name", "x", "parent_id", theirs).asString())
                        .get("response").asText());
        assertEquals("private", owner.ok(owner.get("info", "folder_id", theirs)).at("/data/folderName").asText());
    }

    @Test
    void aStrictTenantGetsStrictStatusCodes() {
        String tenant = Platform.newTenant(true);
        Account account = Platform.newAccount(tenant, "free");
        Session strict = FolderFixtures.session(account, Platform.hostOf(tenant));
        strict.get("info").then().statusCode(400);
        strict.get("info", "folder_id", "999999999999").then().statusCode(404);
        String id = strict.create("strict", null);
        strict.get("move", "folder_id", id, "new_parent_folder_id", id).then().statusCode(400);
        JsonNode created = strict.ok(strict.get("info", "folder_id", id));
        assertTrue(created.at("/data/url_folder").asText().startsWith("https://" + Platform.hostOf(tenant) + "/folder/"),
                created.toString());
    }
}
