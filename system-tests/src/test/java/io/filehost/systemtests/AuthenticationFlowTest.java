package io.filehost.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.filehost.systemtests.Platform.Account;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.filehost.systemtests.Platform.keys;
import static io.filehost.systemtests.Platform.read;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** behaviour.md §1–4 through the gateway: the four auth endpoints, by GET query, urlencoded POST and multipart. */
class AuthenticationFlowTest {
    private static final String INVALID =
            "Could not validate access_token and account_id, please reauthenticate or try again.";
    private static final List<String> ACCOUNT_FIELDS = List.of("id", "username", "level_id", "email", "lastlogindate",
            "lastloginip", "status", "title", "firstname", "lastname", "languageId", "datecreated", "lastPayment",
            "paidExpiryDate", "storageLimitOverride");
    private static final List<String> PACKAGE_FIELDS = List.of("id", "label", "max_upload_size", "can_upload",
            "wait_between_downloads", "download_speed", "max_storage_bytes", "show_site_adverts", "show_upgrade_screen",
            "days_to_keep_inactive_files", "concurrent_uploads", "concurrent_downloads", "downloads_per_24_hours",
            "download_size_per_24_hours", "max_download_filesize_allowed", "max_remote_download_urls", "level_type",
            "on_upgrade_page");

    static Account account;

    @BeforeAll
    static void createAccount() {
        account = Platform.newDemoAccount();
    }

    @Test
    void authorizeByGetQuery() {
        Response response = given().queryParam("key1", account.key1()).queryParam("key2", account.key2())
                .get("/api/v2/authorize");
        response.then().statusCode(200).contentType("application/json; charset=UTF-8");
        JsonNode body = read(response.asString());
        assertEquals(List.of("data", "_status", "_datetime"), keys(body));
        assertTrue(body.at("/data/access_token").asText().matches("[0-9a-zA-Z]{128}"));
        assertEquals(account.accountId(), body.at("/data/account_id").asText());
        assertTrue(body.get("_datetime").asText().matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}"));
    }

    @Test
    void authorizeByPostFormAndByMultipart() {
        given().formParam("key1", account.key1()).formParam("key2", account.key2()).post("/api/v2/authorize")
                .then().statusCode(200).body("data.account_id", equalTo(account.accountId()));
        given().multiPart("key1", account.key1()).multiPart("key2", account.key2()).post("/api/v2/AUTHORIZE")
                .then().statusCode(200).body("data.account_id", equalTo(account.accountId()));
    }

    @Test
    void authorizeErrorsUseTheDocumentedMessagesWith200() {
        given().formParam("key1", "short").formParam("key2", account.key2()).post("/api/v2/authorize").then()
                .statusCode(200).body("_status", equalTo("error")).body("status", equalTo("error"))
                .body("response", equalTo("Please provide key1. It must be 64 characters in length."));
        given().formParam("key1", account.key1()).post("/api/v2/authorize").then()
                .statusCode(200).body("response", equalTo("Please provide key2. It must be 64 characters in length."));
        given().formParam("key1", account.key1()).formParam("key2", "x".repeat(64)).post("/api/v2/authorize").then()
                .statusCode(200).body("response", startsWith("Could not authenticate user."));
    }

    @Test
    void accountInfoAndPackageByGetAndPost() {
        String token = Platform.authorize(account);
        Response info = given().queryParam("access_token", token).queryParam("account_id", account.accountId())
                .get("/api/v2/account/info");
        info.then().statusCode(200).contentType("application/json; charset=UTF-8");
        JsonNode body = read(info.asString());
        assertEquals(ACCOUNT_FIELDS, keys(body.get("data")), info.asString());
        assertEquals(account.accountId(), body.at("/data/id").asText());
        assertEquals("active", body.at("/data/status").asText());

        Response pkg = given().formParam("access_token", token).formParam("account_id", account.accountId())
                .post("/api/v2/account/package");
        JsonNode pkgBody = read(pkg.asString());
        assertEquals(PACKAGE_FIELDS, keys(pkgBody.get("data")), pkg.asString());
        assertEquals(pkgBody.at("/data/id").asText(), body.at("/data/level_id").asText());
    }

    @Test
    void missingOrWrongCredentialsAreRefusedWithTheDocumentedMessages() {
        given().formParam("account_id", account.accountId()).post("/api/v2/account/info").then()
                .statusCode(200).body("response", equalTo("Please provide the access_token param."));
        given().queryParam("access_token", "a".repeat(128)).get("/api/v2/account/info").then()
                .statusCode(200).body("response", equalTo("Please provide the account_id param."));
        given().queryParam("access_token", "a".repeat(128)).queryParam("account_id", account.accountId())
                .get("/api/v2/account/info").then()
                .statusCode(200).body("_status", equalTo("error")).body("response", equalTo(INVALID));
    }

    @Test
    void aTokenOfOneAccountDoesNotOpenAnother() {
        Account other = Platform.newDemoAccount();
        String token = Platform.authorize(account);
        given().queryParam("access_token", token).queryParam("account_id", other.accountId())
                .get("/api/v2/account/info").then().statusCode(200).body("response", equalTo(INVALID));
        given().queryParam("access_token", token).queryParam("account_id", other.accountId())
                .get("/api/v2/account/package").then().statusCode(200).body("response", equalTo(INVALID));
    }

    @Test
    void disableAccessTokenEndsThatTokenOnly() {
        String doomed = Platform.authorize(account);
        String survivor = Platform.authorize(account);
        Response disabled = given().formParam("access_token", doomed).formParam("account_id", account.accountId())
                .post("/api/v2/disable_access_token");
        JsonNode body = read(disabled.asString());
        assertEquals(List.of("response", "_status", "_datetime"), keys(body), disabled.asString());
        assertEquals("Token removed or no longer available.", body.get("response").asText());

        given().queryParam("access_token", doomed).queryParam("account_id", account.accountId())
                .get("/api/v2/account/info").then().body("response", equalTo(INVALID));
        given().queryParam("access_token", survivor).queryParam("account_id", account.accountId())
                .get("/api/v2/account/info").then().body("data.id", equalTo(account.accountId()));
    }

    @Test
    void unknownEndpointsAndMethodsGetRealStatusCodes() {
        given().get("/api/v2/nothing/here").then().statusCode(404)
                .body("response", equalTo("No endpoint found for: nothing"));
        given().get("/api/v2/file/xyz").then().statusCode(404)
                .body("response", equalTo("No method found within endpoint (file): xyz"));
        given().put("/api/v2/account/info").then().statusCode(405).body("_status", equalTo("error"));
    }

    @Test
    void aStrictTenantGetsStrictStatusCodes() {
        String tenant = Platform.newTenant(true);
        Account strictAccount = Platform.newAccount(tenant, "free");
        String host = Platform.hostOf(tenant);
        given().header("Host", host).formParam("key1", "short").formParam("key2", "x").post("/api/v2/authorize")
                .then().statusCode(400).body("_status", equalTo("error"));
        given().header("Host", host).queryParam("access_token", "a".repeat(128))
                .queryParam("account_id", strictAccount.accountId()).get("/api/v2/account/info")
                .then().statusCode(401).body("response", equalTo(INVALID));
        String token = given().header("Host", host).formParam("key1", strictAccount.key1())
                .formParam("key2", strictAccount.key2()).post("/api/v2/authorize")
                .then().statusCode(200).extract().path("data.access_token");
        given().header("Host", host).queryParam("access_token", token)
                .queryParam("account_id", strictAccount.accountId()).get("/api/v2/account/info")
                .then().statusCode(200).body("data.id", equalTo(strictAccount.accountId()));
    }

    @Test
    void keysOfOneTenantDoNotWorkOnAnotherTenantsSite() {
        String tenant = Platform.newTenant(false);
        given().header("Host", Platform.hostOf(tenant)).formParam("key1", account.key1())
                .formParam("key2", account.key2()).post("/api/v2/authorize")
                .then().statusCode(200).body("response", startsWith("Could not authenticate user."));
    }
}
