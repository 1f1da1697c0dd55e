package io.filehost.folderservice;

import io.filehost.folderservice.support.Gateway.As;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import static io.filehost.folderservice.support.Gateway.create;
import static io.filehost.folderservice.support.Gateway.error;
import static io.filehost.folderservice.support.Gateway.newAccount;
import static io.filehost.folderservice.support.Gateway.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Real clients' "no value" (behaviour.md §6): primeuploads-py sends Python's {@code None} as the text
 * {@code None} for every optional parameter it was not given. Upstream's {@code (int)} cast makes such a
 * {@code parent_id} 0 (the root) and drops an {@code access_password} that is not 32 characters, so we accept it the
 * same way — while a real id that is not the account's folder, or a password that is not an md5, stays refused.
 */
@QuarkusTest
class FolderClientNoValueTest {
    static final String PARENT_NOT_FOUND = "Could not find the destination folder id defined by parent_id.";
    static final String BAD_PASSWORD =
            "The access_password param must be an MD5 hash of the password: 32 hexadecimal characters.";
    static final String MD5 = "d9729feb74992cc3482b350163a1a010";

    @Test
    void createWithAParentIdUpstreamCastsToZeroIsAtTheRoot() {
        As as = newAccount();
        // The exact request primeuploads-py sends for folder_create("docs"): every unset optional is "None".
        JsonPath created = ok(as, "create", "folder_name", "docs", "parent_id", "None", "is_public", "None",
                "access_password", "None");
        assertNull(created.get("data.parentId"));
        assertNull(created.get("data.accessPassword"));
        assertEquals("0", created.get("data.isPublic"));
        for (String zero : new String[] {"", "0", "00", "abc", "none", "-0"}) {
            assertNull(ok(as, "create", "folder_name", "z" + zero, "parent_id", zero).get("data.parentId"), zero);
        }
    }

    @Test
    void createWithANumericParentThatIsNotTheAccountsStaysRefused() {
        As as = newAccount();
        // Foreign, unknown and trashed ids: FolderCreateInfoListingTest. Here the values that look like no value but
        // are not: upstream's cast makes "12abc" 12 and "-5" -5, real ids, so they are checked (and cannot exist).
        error(as, 404, PARENT_NOT_FOUND, "create", "folder_name", "x", "parent_id", create(newAccount(), "theirs"));
        error(as, 404, PARENT_NOT_FOUND, "create", "folder_name", "x", "parent_id", "-5");
        error(as, 404, PARENT_NOT_FOUND, "create", "folder_name", "x", "parent_id", "12abc");
    }

    @Test
    void createWithAnEmptyOrNonePasswordHasNoPasswordAndAnyOtherNonMd5IsRefused() {
        As as = newAccount();
        assertNull(ok(as, "create", "folder_name", "a", "access_password", "None").get("data.accessPassword"));
        assertNull(ok(as, "create", "folder_name", "b", "access_password", "").get("data.accessPassword"));
        assertEquals(MD5, ok(as, "create", "folder_name", "c", "access_password", MD5.toUpperCase())
                .get("data.accessPassword"));
        error(as, 400, BAD_PASSWORD, "create", "folder_name", "d", "access_password", "secret");
        error(as, 400, BAD_PASSWORD, "create", "folder_name", "d", "access_password", "NONE");
        error(as, 400, BAD_PASSWORD, "create", "folder_name", "d", "access_password", "z".repeat(32));
    }

    @Test
    void editWithAParentIdThatCannotBeAFolderIdLeavesTheParentUnchanged() {
        As as = newAccount();
        String parent = create(as, "parent");
        String child = create(as, "child", "parent_id", parent);
        // The exact request primeuploads-py sends for folder_edit(child, folder_name="renamed").
        JsonPath edited = ok(as, "edit", "folder_id", child, "folder_name", "renamed", "parent_id", "None",
                "is_public", "None", "access_password", "None");
        assertEquals("renamed", edited.get("data.folderName"));
        assertEquals(parent, edited.get("data.parentId"));
        for (String noId : new String[] {"", "0", "abc", "none"}) {
            assertEquals(parent, ok(as, "edit", "folder_id", child, "parent_id", noId).get("data.parentId"), noId);
        }
        // The literal null still means the root (behaviour.md §6), and a foreign or unknown id is still refused.
        error(as, 404, PARENT_NOT_FOUND, "edit", "folder_id", child, "parent_id", create(newAccount(), "theirs"));
        error(as, 404, PARENT_NOT_FOUND, "edit", "folder_id", child, "parent_id", "999999999999");
        error(as, 404, PARENT_NOT_FOUND, "edit", "folder_id", child, "parent_id", "12abc");
        assertEquals(parent, ok(as, "info", "folder_id", child).get("data.parentId"));
        assertNull(ok(as, "edit", "folder_id", child, "parent_id", "null").get("data.parentId"));
    }

    @Test
    void editWithANonePasswordLeavesItUnchangedAndNullClearsIt() {
        As as = newAccount();
        String id = create(as, "locked", "access_password", MD5);
        assertEquals(MD5, ok(as, "edit", "folder_id", id, "access_password", "None").get("data.accessPassword"));
        assertEquals(MD5, ok(as, "edit", "folder_id", id, "access_password", "").get("data.accessPassword"));
        error(as, 400, BAD_PASSWORD, "edit", "folder_id", id, "access_password", "plain");
        assertEquals(MD5, ok(as, "info", "folder_id", id).get("data.accessPassword"));
        assertNull(ok(as, "edit", "folder_id", id, "access_password", "null").get("data.accessPassword"));
    }
}
