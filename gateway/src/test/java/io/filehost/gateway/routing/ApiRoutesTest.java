package io.filehost.gateway.routing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiRoutesTest {
    private static ApiRoute route(String path) {
        ApiRoutes.Lookup lookup = ApiRoutes.resolve(path);
        assertTrue(lookup.found(), path + ": " + lookup.notFoundMessage());
        return lookup.route();
    }

    private static String notFound(String path) {
        ApiRoutes.Lookup lookup = ApiRoutes.resolve(path);
        assertFalse(lookup.found(), path);
        return lookup.notFoundMessage();
    }

    @Test
    void allListsEveryRouteOnceAndEachResolvesToItself() {
        java.util.List<ApiRoute> all = ApiRoutes.all();
        assertEquals(19, all.size(), all.toString());
        assertEquals(all.size(), all.stream().map(ApiRoute::name).distinct().count());
        for (ApiRoute r : all) {
            assertEquals(r, route(r.path().toUpperCase(java.util.Locale.ROOT)));
            assertEquals("/api/v2/" + r.name(), r.path());
        }
    }

    @Test
    void everyDocumentedCallHasItsService() {
        for (String action : new String[] {"upload", "download", "info", "edit", "delete", "move", "copy",
                "url_upload_add", "url_upload_status"}) {
            ApiRoute route = route("/api/v2/file/" + action);
            assertEquals(Service.FILE, route.service());
            assertEquals("/api/v2/file/" + action, route.path());
            assertEquals(action.equals("upload"), route.upload());
        }
        for (String action : new String[] {"create", "listing", "info", "edit", "delete", "move"}) {
            assertEquals(Service.FOLDER, route("/api/v2/folder/" + action).service());
        }
        assertEquals(Service.AUTH, route("/api/v2/account/info").service());
        assertEquals(Service.AUTH, route("/api/v2/account/package").service());
        assertFalse(route("/api/v2/authorize").needsCredentials());
        assertTrue(route("/api/v2/disable_access_token").needsCredentials());
        assertTrue(route("/api/v2/file/info").needsCredentials());
    }

    @Test
    void caseAndSlashesDoNotMatter() {
        assertEquals("/api/v2/file/upload", route("/API/V2/FILE/UPLOAD").path());
        assertEquals("/api/v2/authorize", route("/api/v2/Authorize/").path());
        assertEquals("file/info", route("/api/v2/file//info/").name());
    }

    @Test
    void unknownEndpointsAndActionsCarryUpstreamsMessages() {
        assertEquals("No endpoint found for: nothing", notFound("/api/v2/nothing/info"));
        assertEquals("No endpoint found for: ", notFound("/api/v2/"));
        assertEquals("No method found within endpoint (file): xyz", notFound("/api/v2/file/xyz"));
        assertEquals("No method found within endpoint (file): ", notFound("/api/v2/file"));
        assertEquals("No method found within endpoint (folder): info/extra", notFound("/api/v2/folder/info/extra"));
        assertEquals("No method found within endpoint (authorize): x", notFound("/api/v2/authorize/x"));
        assertEquals("No endpoint found for: api/v1/file/info", notFound("/api/v1/file/info"));
    }
}
