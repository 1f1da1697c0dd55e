package io.filehost.folderservice;

import io.filehost.folderservice.support.Gateway;
import io.filehost.folderservice.support.Gateway.As;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.filehost.folderservice.support.Gateway.create;
import static io.filehost.folderservice.support.Gateway.error;
import static io.filehost.folderservice.support.Gateway.newAccount;
import static io.filehost.folderservice.support.Gateway.ok;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * One account never sees or changes another's folders, within a tenant or across tenants (same account id elsewhere),
 * on every endpoint; and file-service's internal ownership check answers the same way.
 */
@QuarkusTest
class FolderIsolationTest {
    static final String NOT_FOUND = "Could not find folder based on folder_id.";

    @Test
    void anotherAccountsFolderIsNotFoundOnEveryEndpoint() {
        As owner = newAccount();
        String theirs = create(owner, "private");
        String theirChild = create(owner, "child", "parent_id", theirs);
        As sameTenant = newAccount();
        As sameIdOtherTenant = new As(owner.accountId(), 2);
        for (As intruder : List.of(sameTenant, sameIdOtherTenant)) {
            String mine = create(intruder, "mine");
            error(intruder, 404, NOT_FOUND, "info", "folder_id", theirs);
            error(intruder, 404, NOT_FOUND, "info", "parent_folder_id", theirs);
            error(intruder, 404, NOT_FOUND, "listing", "parent_folder_id", theirs);
            error(intruder, 404, NOT_FOUND, "edit", "folder_id", theirs, "folder_name", "hacked");
            error(intruder, 404, NOT_FOUND, "move", "folder_id", theirs, "new_parent_folder_id", "null");
            error(intruder, 404, NOT_FOUND, "delete", "folder_id", theirs);
            error(intruder, 404, "Could not find the destination folder id defined by new_parent_folder_id.",
                    "move", "folder_id", mine, "new_parent_folder_id", theirChild);
            error(intruder, 404, "Could not find the destination folder id defined by parent_id.",
                    "edit", "folder_id", mine, "parent_id", theirs);
            error(intruder, 404, "Could not find the destination folder id defined by parent_id.",
                    "create", "folder_name", "x", "parent_id", theirs);
            assertEquals(List.of(mine), ok(intruder, "listing").getList("data.folders.id"));
            given().header("Authorization", "Bearer " + intruder.jwt()).get("/internal/folders/" + theirs)
                    .then().statusCode(404).body("response", equalTo(NOT_FOUND));
        }
        // Nothing the intruders tried changed anything.
        assertEquals("private", ok(owner, "info", "folder_id", theirs).get("data.folderName"));
        assertEquals(theirs, ok(owner, "info", "folder_id", theirChild).get("data.parentId"));
        assertEquals(List.of(theirs), ok(owner, "listing").getList("data.folders.id"));
    }

    @Test
    void internalFolderLookupAnswersOnlyTheAccountsActiveFolders() {
        As as = newAccount();
        String parent = create(as, "parent");
        String child = create(as, "child folder", "parent_id", parent);
        Response response = given().header("Authorization", "Bearer " + as.jwt()).get("/internal/folders/" + child);
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals(List.of("id", "parentId", "folderName"),
                FolderCreateInfoListingTest.keys(response.asString(), null));
        assertEquals(child, response.jsonPath().get("id"));
        assertEquals(parent, response.jsonPath().get("parentId"));
        assertEquals("child folder", response.jsonPath().get("folderName"));
        assertNull(given().header("Authorization", "Bearer " + as.jwt()).get("/internal/folders/" + parent)
                .then().statusCode(200).extract().jsonPath().get("parentId"));

        ok(as, "delete", "folder_id", parent);
        for (String id : List.of(parent, child, "999999999999", "abc")) {
            given().header("Authorization", "Bearer " + as.jwt()).get("/internal/folders/" + id).then()
                    .statusCode(404).body("_status", equalTo("error")).body("response", equalTo(NOT_FOUND));
        }
        given().get("/internal/folders/" + child).then().statusCode(401);
    }

    @Test
    void publicFolderPageShowsOnlyPublicUnprotectedFoldersOfTheTenant() {
        As as = newAccount();
        String open = create(as, "Holiday pics", "is_public", "2");
        String unlisted = create(as, "unlisted", "is_public", "1");
        String privateOne = create(as, "private");
        String locked = create(as, "locked", "is_public", "2", "access_password", "d9729feb74992cc3482b350163a1a010");
        given().header("X-Tenant-Id", "1").header("X-Public-Base-Url", Gateway.BASE_URL)
                .get("/public/folder/" + open + "/Holiday_pics").then().statusCode(200)
                .body("data.folderName", equalTo("Holiday pics"))
                .body("data.url_folder", equalTo(Gateway.BASE_URL + "/folder/" + open + "/Holiday_pics"));
        given().header("X-Tenant-Id", "1").get("/public/folder/" + unlisted + "/x").then().statusCode(200);
        for (String hidden : List.of(privateOne, locked)) {
            given().header("X-Tenant-Id", "1").get("/public/folder/" + hidden + "/x").then().statusCode(404)
                    .body("response", equalTo(NOT_FOUND));
        }
        given().header("X-Tenant-Id", "2").get("/public/folder/" + open + "/Holiday_pics").then().statusCode(404);
        given().get("/public/folder/" + open + "/Holiday_pics").then().statusCode(404);
    }
}
