package io.filehost.gateway;

import io.filehost.gateway.routing.ApiRoute;
import io.filehost.gateway.routing.ApiRoutes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document served at /q/openapi describes exactly the gateway's route table (ApiRoutes), each path with
 * GET and POST; /q/openapi and /q/swagger-ui are Quarkus' and not swallowed by the gateway's catch-all route.
 */
@QuarkusTest
@QuarkusTestResource(FakeServices.class)
class OpenApiDocumentTest extends GatewayTestSupport {

    private static JsonObject document() {
        String json = RestAssured.given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().asString();
        return new JsonObject(json);
    }

    @Test
    void everyRouteOfTheTableIsDocumentedWithGetAndPostAndNothingElse() {
        JsonObject doc = document();
        assertTrue(doc.getString("openapi").startsWith("3."), doc.getString("openapi"));
        JsonObject paths = doc.getJsonObject("paths");
        assertNotNull(paths);

        Set<String> table = ApiRoutes.all().stream().map(ApiRoute::path).collect(Collectors.toCollection(TreeSet::new));
        assertFalse(table.isEmpty());
        for (String path : table) {
            JsonObject item = paths.getJsonObject(path);
            assertNotNull(item, "not documented: " + path);
            for (String method : new String[] {"get", "post"}) {
                JsonObject operation = item.getJsonObject(method);
                assertNotNull(operation, path + " has no " + method);
                JsonObject responses = operation.getJsonObject("responses");
                assertNotNull(responses.getValue("200"), path + " " + method + " has no 200");
            }
        }

        Set<String> documentedApi = new TreeSet<>();
        for (String path : paths.fieldNames()) {
            if (Boolean.TRUE.equals(paths.getJsonObject(path).getValue("x-filehost-public"))) {
                assertFalse(path.startsWith("/api/"), "an /api path marked public: " + path);
                continue;
            }
            if (Boolean.TRUE.equals(paths.getJsonObject(path).getValue("x-filehost-tus"))) {
                assertNotNull(ApiRoutes.tus(path.replace("{id}", "0123456789abcdef0123456789abcdef")),
                        "documented as tus but not routed as tus: " + path);
                continue;
            }
            documentedApi.add(path);
        }
        assertEquals(table, documentedApi, "documented /api/v2 paths must be exactly the route table");
    }

    @Test
    void theTusEndpointIsDocumentedWithEveryMethodItRoutes() {
        JsonObject paths = document().getJsonObject("paths");
        for (String method : new String[] {"options", "post"}) {
            assertNotNull(paths.getJsonObject("/api/v2/file/tus").getJsonObject(method), method);
        }
        for (String method : new String[] {"options", "head", "patch", "delete"}) {
            assertNotNull(paths.getJsonObject("/api/v2/file/tus/{id}").getJsonObject(method), method);
        }
    }

    @Test
    void theEnvelopeShowsBothErrorDialects() {
        JsonObject error = document().getJsonObject("components").getJsonObject("schemas").getJsonObject("Error");
        Set<String> required = error.getJsonArray("required").stream().map(Object::toString).collect(Collectors.toSet());
        assertEquals(Set.of("status", "_status", "response", "_datetime"), required);
    }

    @Test
    void credentialsAreRequiredParametersExceptOnAuthorize() {
        JsonObject paths = document().getJsonObject("paths");
        for (ApiRoute route : ApiRoutes.all()) {
            Set<String> required = paths.getJsonObject(route.path()).getJsonObject("get").getJsonArray("parameters")
                    .stream().map(p -> (JsonObject) p).filter(p -> p.getBoolean("required", false))
                    .map(p -> p.getString("name")).collect(Collectors.toSet());
            if (route.needsCredentials()) {
                assertTrue(required.containsAll(Set.of("access_token", "account_id")), route.name() + ": " + required);
            } else {
                assertEquals(Set.of("key1", "key2"), required, route.name());
            }
        }
    }

    @Test
    void swaggerUiAndYamlAreServed() {
        RestAssured.get("/q/swagger-ui").then().statusCode(200);
        RestAssured.get("/q/swagger-ui/index.html").then().statusCode(200);
        String yaml = RestAssured.get("/q/openapi").then().statusCode(200).extract().asString();
        assertTrue(yaml.contains("/api/v2/file/upload"), yaml.substring(0, Math.min(200, yaml.length())));
    }
}
