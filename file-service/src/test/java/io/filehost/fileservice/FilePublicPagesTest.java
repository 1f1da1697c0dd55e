package io.filehost.fileservice;

import io.filehost.fileservice.service.ShortUrls;
import io.filehost.fileservice.support.FakeFolderService;
import io.filehost.fileservice.support.FileApi;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

@QuarkusTest
@QuarkusTestResource(FakeFolderService.class)
class FilePublicPagesTest {

    @Test
    void theFilePageEscapesTheNameAndItsButtonIssuesAToken() {
        FileApi api = FileApi.newAccount();
        String id = api.uploadId("<img src=x onerror=alert(1)>.txt", "page bytes");
        String shortUrl = ShortUrls.encode(Long.parseLong(id));
        api.publicGet(shortUrl).then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("&lt;img src=x onerror=alert(1)&gt;.txt"))
                .body(not(containsString("<img")))
                .body(containsString("<form method=\"post\" action=\"" + shortUrl + "\">"));
        String location = given().header("X-Tenant-Id", Long.toString(api.tenantId)).redirects().follow(false)
                .post("/public/" + shortUrl).then().statusCode(303)
                .header("Location", matchesPattern(shortUrl + "\\?download_token=[0-9a-f]{64}")).extract()
                .header("Location");
        api.publicGet(location).then().statusCode(200).body(equalTo("page bytes"));
        api.publicGet(shortUrl + "~i").then().statusCode(200).body(containsString("10 bytes"));
        api.publicGet(shortUrl + "~s").then().statusCode(200).body(containsString("Downloads"));
        api.otherTenant().publicGet(shortUrl).then().statusCode(404);
    }

    @Test
    void theDeleteLinkAsksOnGetAndDeletesOnlyOnPost() {
        FileApi api = FileApi.newAccount();
        String deleteUrl = api.upload("gone.txt", "bye").then().statusCode(200).extract().path("data[0].delete_url");
        String path = deleteUrl.substring(FileApi.BASE.length() + 1);
        String id = api.call("info", "file_id", ShortUrls.decode(path.substring(0, path.indexOf('~'))).toString())
                .then().extract().path("data.id");
        api.publicGet(path).then().statusCode(200).body(containsString("Delete this file"));
        api.call("info", "file_id", id).then().body("data.file_status", equalTo("active"));
        String wrong = path.substring(0, path.indexOf('?') + 1) + "0".repeat(32);
        given().header("X-Tenant-Id", Long.toString(api.tenantId)).post("/public/" + wrong).then().statusCode(404);
        api.call("info", "file_id", id).then().body("data.file_status", equalTo("active"));
        given().header("X-Tenant-Id", Long.toString(api.tenantId)).post("/public/" + path).then().statusCode(200)
                .body(containsString("has been deleted"));
        api.call("info", "file_id", id).then().body("data.file_status", equalTo("trash"));
        api.publicGet(path.substring(0, path.indexOf('~'))).then().statusCode(404);
    }

    @Test
    void namesWithControlCharactersAreRefused() {
        FileApi api = FileApi.newAccount();
        String id = api.uploadId("ok.txt", "ok");
        api.call("edit", "file_id", id, "filename", "evil\r\nX-Injected: 1.txt").then().statusCode(400);
        api.call("info", "file_id", id).then().body("data.filename", equalTo("ok.txt"));
    }
}
