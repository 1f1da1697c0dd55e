package io.filehost.folderservice;

import io.filehost.folderservice.support.FakeFileService;
import io.filehost.folderservice.support.Gateway;
import io.filehost.folderservice.support.Gateway.As;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.filehost.folderservice.support.Gateway.call;
import static io.filehost.folderservice.support.Gateway.create;
import static io.filehost.folderservice.support.Gateway.error;
import static io.filehost.folderservice.support.Gateway.file;
import static io.filehost.folderservice.support.Gateway.newAccount;
import static io.filehost.folderservice.support.Gateway.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /folder/create, /folder/info, /folder/listing (behaviour.md §6), with file-service played by a fake. */
@QuarkusTest
@WithTestResource(value = FakeFileService.class, scope = TestResourceScope.GLOBAL)
class FolderCreateInfoListingTest {
    static final List<String> INFO_FIELDS = List.of("id", "parentId", "folderName", "totalSize", "isPublic",
            "accessPassword", "date_added", "date_updated", "url_folder", "total_downloads", "child_folder_count",
            "file_count");
    static final List<String> LISTING_FOLDER_FIELDS = INFO_FIELDS.stream().filter(f -> !f.equals("accessPassword"))
            .toList();
    static final List<String> LISTING_FILE_FIELDS = List.of("id", "filename", "shortUrl", "fileType", "extension",
            "fileSize", "status", "downloads", "folderId", "keywords", "url_file", "uploadedDate");
    static final String DATE = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}";

    @ConfigProperty(name = FakeFileService.URL_PROPERTY)
    String fileService;

    @Test
    void createAnswersTheFolderInfoInTheDocumentedShape() {
        As as = newAccount();
        Response response = call(as, "create", "folder_name", "My New Folder", "is_public", "2",
                "access_password", "D9729FEB74992CC3482B350163A1A010");
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals(List.of("response", "data", "_status", "_datetime"), keys(response.asString(), null));
        assertEquals(INFO_FIELDS, keys(response.asString(), "data"));
        JsonPath json = response.jsonPath();
        assertEquals("Folder successfully created.", json.getString("response"));
        assertEquals("success", json.getString("_status"));
        String id = json.getString("data.id");
        assertTrue(id.matches("\\d+"));
        assertNull(json.get("data.parentId"));
        assertEquals("My New Folder", json.getString("data.folderName"));
        assertEquals("0", json.get("data.totalSize"));
        assertEquals("2", json.get("data.isPublic"));
        assertEquals("d9729feb74992cc3482b350163a1a010", json.get("data.accessPassword"));
        assertTrue(json.getString("data.date_added").matches(DATE));
        assertNull(json.get("data.date_updated"));
        assertEquals(Gateway.BASE_URL + "/folder/" + id + "/My_New_Folder", json.get("data.url_folder"));
        assertEquals(0, (Integer) json.get("data.total_downloads"));
        assertEquals(0, (Integer) json.get("data.child_folder_count"));
        assertEquals(0, (Integer) json.get("data.file_count"));
        assertTrue(json.getString("_datetime").matches(DATE));
    }

    @Test
    void createNeedsAName() {
        As as = newAccount();
        error(as, 400, "Please provide the folder_name param.", "create");
        error(as, 400, "Please provide the folder_name param.", "create", "folder_name", "   ");
        error(as, 400, "The folder_name param can not be longer than 255 characters.", "create",
                "folder_name", "x".repeat(256));
        assertEquals("x".repeat(255), ok(as, "create", "folder_name", "x".repeat(255)).get("data.folderName"));
    }

    @Test
    void isPublicIsClampedAndDefaultsToPrivate() {
        As as = newAccount();
        assertEquals("0", ok(as, "create", "folder_name", "a").get("data.isPublic"));
        assertEquals("1", ok(as, "create", "folder_name", "b", "is_public", "1").get("data.isPublic"));
        assertEquals("2", ok(as, "create", "folder_name", "c", "is_public", "2").get("data.isPublic"));
        assertEquals("0", ok(as, "create", "folder_name", "d", "is_public", "3").get("data.isPublic"));
        assertEquals("0", ok(as, "create", "folder_name", "e", "is_public", "-1").get("data.isPublic"));
        assertEquals("0", ok(as, "create", "folder_name", "f", "is_public", "yes").get("data.isPublic"));
    }

    @Test
    void accessPasswordMustBeAnMd5Hash() {
        As as = newAccount();
        String message = "The access_password param must be an MD5 hash of the password: 32 hexadecimal characters.";
        error(as, 400, message, "create", "folder_name", "p", "access_password", "secret");
        error(as, 400, message, "create", "folder_name", "p", "access_password", "z".repeat(32));
        error(as, 400, message, "create", "folder_name", "p", "access_password", "a".repeat(33));
        assertNull(ok(as, "create", "folder_name", "p", "access_password", "").get("data.accessPassword"));
    }

    @Test
    void urlFolderReplacesTheUpstreamCharactersAndEncodesTheRest() {
        As as = newAccount();
        JsonPath json = ok(as, "create", "folder_name", "a b\"c'd;e#f%g");
        assertEquals(Gateway.BASE_URL + "/folder/" + json.getString("data.id") + "/a_b_c_d_e_f_g",
                json.get("data.url_folder"));
        JsonPath odd = ok(as, "create", "folder_name", "x/y?z é");
        assertEquals(Gateway.BASE_URL + "/folder/" + odd.getString("data.id") + "/x%2Fy%3Fz_%C3%A9",
                odd.get("data.url_folder"));
        assertEquals("x/y?z é", odd.get("data.folderName"));
    }

    @Test
    void parentIdMustBeAnActiveFolderOfTheAccount() {
        As as = newAccount();
        As other = newAccount();
        String parent = create(as, "parent");
        JsonPath child = ok(as, "create", "folder_name", "child", "parent_id", parent);
        assertEquals(parent, child.get("data.parentId"));
        assertNull(ok(as, "create", "folder_name", "root", "parent_id", "null").get("data.parentId"));
        String message = "Could not find the destination folder id defined by parent_id.";
        error(as, 404, message, "create", "folder_name", "x", "parent_id", create(other, "theirs"));
        error(as, 404, message, "create", "folder_name", "x", "parent_id", "999999999999");
        String trashed = create(as, "trashed");
        ok(as, "delete", "folder_id", trashed);
        error(as, 404, message, "create", "folder_name", "x", "parent_id", trashed);
    }

    @Test
    void infoByFolderIdOrParentFolderId() {
        As as = newAccount();
        String id = create(as, "Docs", "is_public", "1");
        Response response = call(as, "info", "folder_id", id);
        assertEquals(List.of("data", "_status", "_datetime"), keys(response.asString(), null));
        assertEquals(INFO_FIELDS, keys(response.asString(), "data"));
        assertEquals("Docs", response.jsonPath().get("data.folderName"));
        assertEquals(id, ok(as, "info", "parent_folder_id", id).get("data.id"));
        error(as, 400, "Please provide the folder_id param.", "info");
        error(as, 404, "Could not find folder based on folder_id.", "info", "folder_id", "987654321987");
        error(as, 404, "Could not find folder based on folder_id.", "info", "folder_id", "x1");
    }

    @Test
    void totalsComeFromFileServiceRecursiveSizeAndDirectCounts() {
        As as = newAccount();
        As other = newAccount();
        String a = create(as, "A");
        String b = create(as, "B", "parent_id", a);
        String c = create(as, "C", "parent_id", b);
        String d = create(as, "D", "parent_id", a);
        Map<String, Object> trashedFile = file("9", "old.bin", a, 100_000, 99);
        trashedFile.put("status", "trash");
        Gateway.seedFiles(fileService, as, List.of(
                file("1", "one.bin", a, 100, 3), file("2", "two.bin", a, 50, 4), trashedFile,
                file("3", "three.bin", b, 1000, 10), file("4", "four.bin", c, 7, 1), file("5", "five.bin", d, 5000, 2)));
        // Another account's files never count, even if they name this account's folder ids.
        Gateway.seedFiles(fileService, other, List.of(file("6", "x.bin", a, 1_000_000, 1000)));

        JsonPath info = ok(as, "info", "folder_id", a);
        assertEquals("6157", info.get("data.totalSize"));
        assertEquals(2, (Integer) info.get("data.file_count"));
        assertEquals(7, (Integer) info.get("data.total_downloads"));
        assertEquals(2, (Integer) info.get("data.child_folder_count"));

        ok(as, "delete", "folder_id", d);
        JsonPath after = ok(as, "info", "folder_id", a);
        assertEquals("1157", after.get("data.totalSize"), "a trashed sub-folder no longer counts");
        assertEquals(1, (Integer) after.get("data.child_folder_count"));

        JsonPath bInfo = ok(as, "info", "folder_id", b);
        assertEquals("1007", bInfo.get("data.totalSize"));
        assertEquals(1, (Integer) bInfo.get("data.file_count"));
        assertEquals(10, (Integer) bInfo.get("data.total_downloads"));
    }

    @Test
    void listingShowsActiveFoldersThenFilesEachInNameOrder() {
        As as = newAccount();
        String beta = create(as, "beta");
        String alpha = create(as, "Alpha");
        String gamma = create(as, "gamma");
        String alpha2 = create(as, "alpha 2");
        ok(as, "delete", "folder_id", create(as, "aaa trashed"));
        String inner = create(as, "inner", "parent_id", beta);
        Gateway.seedFiles(fileService, as, List.of(file("11", "b.txt", null, 10, 1), file("12", "a.txt", null, 20, 2),
                file("13", "in beta.txt", beta, 30, 3), file("14", "deep.txt", inner, 40, 4)));

        Response response = call(as, "listing");
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals(List.of("data", "_status", "_datetime"), keys(response.asString(), null));
        JsonPath json = response.jsonPath();
        assertEquals(List.of(alpha, alpha2, beta, gamma), json.getList("data.folders.id"));
        assertEquals(LISTING_FOLDER_FIELDS, keys(response.asString(), "data.folders[0]"));
        assertEquals("70", json.get("data.folders[2].totalSize"));
        assertEquals(1, (Integer) json.get("data.folders[2].file_count"));
        assertEquals(3, (Integer) json.get("data.folders[2].total_downloads"));
        assertEquals(1, (Integer) json.get("data.folders[2].child_folder_count"));
        assertEquals(List.of("a.txt", "b.txt"), json.getList("data.files.filename"));
        assertEquals(LISTING_FILE_FIELDS, keys(response.asString(), "data.files[0]"));

        JsonPath level = ok(as, "listing", "parent_folder_id", beta);
        assertEquals(List.of(inner), level.getList("data.folders.id"));
        assertEquals(beta, level.get("data.folders[0].parentId"));
        assertEquals(List.of("in beta.txt"), level.getList("data.files.filename"));

        JsonPath empty = ok(as, "listing", "parent_folder_id", gamma);
        assertEquals(List.of(), empty.getList("data.folders"));
        assertEquals(List.of(), empty.getList("data.files"));
        assertEquals(List.of(alpha, alpha2, beta, gamma), ok(as, "listing", "parent_folder_id", "").getList(
                "data.folders.id"), "empty parent_folder_id = root");
    }

    @Test
    void aListingCostsTwoFileServiceCallsWhateverTheNumberOfFolders() {
        As as = newAccount();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String id = create(as, String.format("folder %02d", i));
            ids.add(id);
            create(as, "sub", "parent_id", id);
        }
        Gateway.seedFiles(fileService, as, List.of(file("21", "f.bin", ids.get(3), 5, 1)));
        JsonPath before = Gateway.calls(fileService, as);
        JsonPath listing = ok(as, "listing");
        assertEquals(25, listing.getList("data.folders").size());
        assertEquals("5", listing.get("data.folders[3].totalSize"));
        JsonPath after = Gateway.calls(fileService, as);
        assertEquals(0, count(before, "folder-stats") + count(before, "folder-files"), "creates call nobody");
        assertEquals(1, count(after, "folder-stats"), "one batched stats call for all 50 folders");
        assertEquals(1, count(after, "folder-files"), "one files call");
        // The caller's identity and the gateway's headers travelled with the calls.
        assertEquals(Gateway.BASE_URL, after.getString("publicBaseUrl"));
        assertEquals("test-" + as.accountId(), after.getString("requestId"));
    }

    @Test
    void beyondFileServicesIdLimitTheStatisticsAreAskedInBatchesAndStillAddUp() {
        As as = newAccount();
        List<String> tops = new ArrayList<>();
        List<Map<String, Object>> files = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            List<String> chain = Gateway.chain(as, null, 40);
            tops.add(chain.get(0));
            files.add(file("3" + t, "bottom.bin", chain.get(39), 1000 + t, 1));
            files.add(file("4" + t, "top.bin", chain.get(0), 1, 1));
        }
        Gateway.seedFiles(fileService, as, files);
        JsonPath listing = ok(as, "listing");
        assertEquals(tops, listing.getList("data.folders.id"), "same names: ordered by id");
        for (int t = 0; t < 3; t++) {
            assertEquals(Long.toString(1001 + t), listing.get("data.folders[" + t + "].totalSize"));
        }
        JsonPath calls = Gateway.calls(fileService, as);
        assertEquals(2, count(calls, "folder-stats"), "120 folders in batches of 100 (the test profile's limit)");
        assertEquals(1, count(calls, "folder-files"));
    }

    @Test
    void listingOfAFolderThatIsNotTheAccountsIsNotFound() {
        As as = newAccount();
        As other = newAccount();
        String message = "Could not find folder based on folder_id.";
        error(as, 404, message, "listing", "parent_folder_id", create(other, "theirs"));
        error(as, 404, message, "listing", "parent_folder_id", "999999999999");
        error(as, 404, message, "listing", "parent_folder_id", "nope");
        String trashed = create(as, "mine");
        ok(as, "delete", "folder_id", trashed);
        error(as, 404, message, "listing", "parent_folder_id", trashed);
    }

    @Test
    void fileServiceFailingIsA503NotSilentZeros() {
        As as = newAccount();
        String id = create(as, "f");
        Gateway.failFileService(fileService, as, true);
        try {
            error(as, 503, "The service is temporarily unavailable. Please try again shortly.", "info",
                    "folder_id", id);
        } finally {
            Gateway.failFileService(fileService, as, false);
        }
        assertEquals(id, ok(as, "info", "folder_id", id).get("data.id"));
    }

    @Test
    void aFileServiceTooSlowToAnswerIsA504WithinSeconds() {
        As as = newAccount();
        String id = create(as, "slow");
        Gateway.delayFileService(fileService, as, 2500);
        long started = System.nanoTime();
        try {
            error(as, 504, "The service did not answer in time. Please try again shortly.", "listing");
        } finally {
            Gateway.delayFileService(fileService, as, 0);
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        assertTrue(seconds < 9, "three attempts of at most 2 s each, took " + seconds + " s");
        assertEquals(id, ok(as, "listing").getList("data.folders.id").get(0));
    }

    @Test
    void unknownActionIsNotFound() {
        error(newAccount(), 404, "No method found within endpoint (folder): rename", "rename");
    }

    static int count(JsonPath calls, String name) {
        Integer value = calls.get("'" + name + "'");
        return value == null ? 0 : value;
    }

    static List<String> keys(String body, String path) {
        try {
            com.fasterxml.jackson.databind.JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(body);
            if (path != null) {
                for (String part : path.split("\\.")) {
                    if (part.endsWith("]")) {
                        String name = part.substring(0, part.indexOf('['));
                        int index = Integer.parseInt(part.substring(part.indexOf('[') + 1, part.length() - 1));
                        node = node.get(name).get(index);
                    } else {
                        node = node.get(part);
                    }
                }
            }
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            return keys;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
