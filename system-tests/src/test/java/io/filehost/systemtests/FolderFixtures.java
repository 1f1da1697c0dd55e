package io.filehost.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.filehost.systemtests.Platform.Account;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;

/** An authorized client of the /folder endpoints, calling the gateway by GET query or by urlencoded POST. */
final class FolderFixtures {
    private FolderFixtures() {
    }

    static Session session(Account account) {
        return new Session(account, Platform.authorize(account), null);
    }

    /** A client of a tenant reached under its own host name (for strict-status tenants). */
    static Session session(Account account, String host) {
        RequestSpecification authorize = given().header("Host", host);
        String token = authorize.formParam("key1", account.key1()).formParam("key2", account.key2())
                .post("/api/v2/authorize").then().statusCode(200).extract().path("data.access_token");
        return new Session(account, token, host);
    }

    record Session(Account account, String token, String host) {
        Response get(String action, String... params) {
            RequestSpecification request = base().queryParam("access_token", token)
                    .queryParam("account_id", account.accountId());
            for (int i = 0; i < params.length; i += 2) {
                request.queryParam(params[i], params[i + 1]);
            }
            return request.get("/api/v2/folder/" + action);
        }

        Response post(String action, String... params) {
            RequestSpecification request = base().formParam("access_token", token)
                    .formParam("account_id", account.accountId());
            for (int i = 0; i < params.length; i += 2) {
                request.formParam(params[i], params[i + 1]);
            }
            return request.post("/api/v2/folder/" + action);
        }

        JsonNode ok(Response response) {
            JsonNode body = Platform.read(response.asString());
            if (response.statusCode() != 200 || !"success".equals(body.path("_status").asText())) {
                throw new AssertionError("expected success, got " + response.statusCode() + " " + response.asString());
            }
            return body;
        }

        String create(String name, String parentId) {
            Response response = parentId == null ? post("create", "folder_name", name)
                    : post("create", "folder_name", name, "parent_id", parentId);
            return ok(response).at("/data/id").asText();
        }

        List<String> chain(String parentId, int depth) {
            List<String> ids = new ArrayList<>();
            String parent = parentId;
            for (int i = 0; i < depth; i++) {
                parent = create("level " + i, parent);
                ids.add(parent);
            }
            return ids;
        }

        private RequestSpecification base() {
            RequestSpecification request = given();
            return host == null ? request : request.header("Host", host);
        }
    }

    static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(node -> ids.add(node.get("id").asText()));
        return ids;
    }
}
