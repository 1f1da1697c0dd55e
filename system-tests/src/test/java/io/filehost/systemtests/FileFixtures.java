package io.filehost.systemtests;

import io.restassured.config.HttpClientConfig;
import io.restassured.config.MultiPartConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.apache.http.entity.mime.HttpMultipartMode;

import java.nio.charset.StandardCharsets;

import static io.restassured.RestAssured.given;

/** A client of the file API through the gateway: one authorised account and the calls the File* tests need. */
final class FileFixtures {
    /** Browsers send UTF-8 file names raw in multipart headers; REST Assured's strict mode would write ASCII. */
    static final RestAssuredConfig UTF8_MULTIPART = RestAssuredConfig.config()
            .httpClient(HttpClientConfig.httpClientConfig().httpMultipartMode(HttpMultipartMode.BROWSER_COMPATIBLE))
            .multiPartConfig(MultiPartConfig.multiPartConfig().defaultCharset(StandardCharsets.UTF_8));

    final Platform.Account account;
    final String accessToken;

    private FileFixtures(Platform.Account account) {
        this.account = account;
        this.accessToken = Platform.authorize(account);
    }

    static FileFixtures newClient() {
        return new FileFixtures(Platform.newDemoAccount());
    }

    static FileFixtures newClient(Platform.Account account) {
        return new FileFixtures(account);
    }

    /** A multipart upload with the credentials sent before the file part. */
    Response uploadCredentialsFirst(String name, byte[] content) {
        return given().config(UTF8_MULTIPART)
                .multiPart("access_token", accessToken)
                .multiPart("account_id", account.accountId())
                .multiPart("upload_file", name, content, "application/octet-stream")
                .post("/api/v2/file/upload");
    }

    /** A multipart upload with the credentials sent after the file part (the gateway must spool, not buffer). */
    Response uploadCredentialsLast(String name, byte[] content) {
        return given().config(UTF8_MULTIPART)
                .multiPart("upload_file", name, content, "application/octet-stream")
                .multiPart("access_token", accessToken)
                .multiPart("account_id", account.accountId())
                .post("/api/v2/file/upload");
    }

    String upload(String name, String content) {
        return uploadCredentialsFirst(name, content.getBytes(StandardCharsets.UTF_8)).then().statusCode(200)
                .extract().path("data[0].file_id");
    }

    /** Any other file action, as real clients send it (GET with the query string). */
    Response call(String action, String... params) {
        RequestSpecification request = given().queryParam("access_token", accessToken)
                .queryParam("account_id", account.accountId());
        for (int i = 0; i < params.length; i += 2) {
            request.queryParam(params[i], params[i + 1]);
        }
        return request.get("/api/v2/file/" + action);
    }

    /** A URL the API returned, fetched exactly as a browser would (no credentials). */
    static RequestSpecification publicUrl() {
        return given().urlEncodingEnabled(false).redirects().follow(false);
    }
}
