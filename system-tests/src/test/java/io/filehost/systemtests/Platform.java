package io.filehost.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.lessThan;

/**
 * The running platform as a client and an operator see it: the gateway URL for every API call, and auth-service's
 * admin API (with the admin key ./dev keeps under the state folder) only to create the accounts a test needs.
 */
final class Platform {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String GATEWAY = System.getProperty("fh.gateway.url", "http://127.0.0.1:8080");
    static final String AUTH_ADMIN = System.getProperty("fh.auth.url", "http://127.0.0.1:8081");
    static final Path STATE = Path.of(System.getProperty("fh.state", "../.local"));

    /** Every gateway of the platform (replica mode: two); requests alternate over them. */
    static final List<String> GATEWAYS = List.of(System.getProperty("fh.gateway.urls", GATEWAY).split(","));
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_GATEWAY =
            new java.util.concurrent.atomic.AtomicInteger();

    static {
        RestAssured.baseURI = GATEWAY;
        RestAssured.urlEncodingEnabled = true;
        if (GATEWAYS.size() > 1) {
            // Replica mode: each request to the gateway (relative path, default base URI) goes to the next gateway in
            // turn, so consecutive calls of one client (authorize, then use the token, …) cross gateways.
            RestAssured.filters((request, response, context) -> {
                if (GATEWAY.equals(request.getBaseUri())) {
                    request.baseUri(GATEWAYS.get(Math.floorMod(NEXT_GATEWAY.getAndIncrement(), GATEWAYS.size())));
                }
                return context.next(request, response);
            });
        }
    }


    private Platform() {
    }

    record Account(String accountId, String key1, String key2, String tenant) {
    }

    static String adminKey() {
        try {
            return Files.readString(STATE.resolve("keys/admin-key")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("the admin key ./dev writes is missing: is the platform up?", e);
        }
    }

    static RequestSpecification admin() {
        return given().baseUri(AUTH_ADMIN).header("X-Admin-Key", adminKey()).contentType("application/json");
    }

    static Account newAccount(String tenant, String packageName) {
        String username = "st-" + UUID.randomUUID().toString().substring(0, 12);
        JsonNode created = read(admin()
                .body("{\"tenant\":\"" + tenant + "\",\"username\":\"" + username + "\",\"package\":\"" + packageName + "\"}")
                .post("/admin/accounts").then().statusCode(lessThan(300)).extract().asString());
        return new Account(created.get("account_id").asText(), created.get("key1").asText(), created.get("key2").asText(),
                tenant);
    }

    /** A package of the tenant with every limit open but these (0 = unlimited), named uniquely. */
    static String newPackage(String tenant, long maxUploadSize, long maxStorageBytes, int maxRemoteDownloadUrls) {
        String name = "st-" + UUID.randomUUID().toString().substring(0, 12);
        admin().body("{\"tenant\":\"" + tenant + "\",\"name\":\"" + name + "\",\"label\":\"System test\","
                        + "\"max_upload_size\":" + maxUploadSize + ",\"can_upload\":true,\"wait_between_downloads\":0,"
                        + "\"download_speed\":0,\"max_storage_bytes\":" + maxStorageBytes + ",\"show_site_adverts\":false,"
                        + "\"show_upgrade_screen\":false,\"days_to_keep_inactive_files\":0,\"concurrent_uploads\":0,"
                        + "\"concurrent_downloads\":0,\"downloads_per_24_hours\":0,\"download_size_per_24_hours\":0,"
                        + "\"max_download_filesize_allowed\":0,\"max_remote_download_urls\":" + maxRemoteDownloadUrls
                        + ",\"level_type\":\"paid user\",\"on_upgrade_page\":false}")
                .post("/admin/packages").then().statusCode(lessThan(300));
        return name;
    }

    static Account newDemoAccount() {
        return newAccount("demo", "free");
    }

    /** A tenant reachable through the gateway under its own host name (sent as the Host header). */
    static String newTenant(boolean strict) {
        String name = "st" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String host = name + ".sites.test";
        admin().body("{\"name\":\"" + name + "\",\"hosts\":[\"" + host + "\"],\"publicBaseUrl\":\"https://" + host
                        + "\",\"strictHttp\":" + strict + ",\"timeZone\":\"UTC\",\"isDefault\":false}")
                .post("/admin/tenants").then().statusCode(lessThan(300));
        return name;
    }

    static String hostOf(String tenant) {
        return tenant + ".sites.test";
    }

    static String authorize(Account account) {
        Response response = given().formParam("key1", account.key1()).formParam("key2", account.key2())
                .post("/api/v2/authorize");
        JsonNode body = read(response.asString());
        if (!body.has("data")) {
            throw new AssertionError("authorize failed: " + response.asString());
        }
        return body.get("data").get("access_token").asText();
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** The repository (the local platform's scripts live there: ./dev, deploy/local/infra.sh). */
    static final Path REPO = Path.of(System.getProperty("fh.repo", ".."));

    /** Runs one of the platform's scripts as an operator would, and insists that it succeeded. */
    static void run(String... command) {
        run(java.util.Map.of(), command);
    }

    /** {@link #run(String...)} with these variables added to the environment (./dev passes them to the services). */
    static void run(java.util.Map<String, String> environment, String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(REPO.toFile()).inheritIO();
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(180, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 180 s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed (exit " + process.exitValue() + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        return keys;
    }
}
