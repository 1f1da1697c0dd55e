package io.filehost.gateway;

import io.filehost.gateway.web.WebApp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web file manager under /app/ (issue 14): its files with a strict CSP and the right caching, the tenant's name,
 * and nothing else of the gateway's address space taken (API, public pages, /APP as a short URL).
 */
@QuarkusTest
@QuarkusTestResource(FakeServices.class)
class WebAppTest extends GatewayTestSupport {

    @Test
    void indexIsServedWithStrictHeadersAndRevalidated() {
        Response index = client(newRequestId()).redirects().follow(false).get("/app/");
        index.then().statusCode(200)
                .contentType(containsString("text/html"))
                .header("Content-Security-Policy", equalTo(WebApp.CSP))
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-cache")
                .body(containsString("<div id=\"app\">"));
        String csp = index.header("Content-Security-Policy");
        assertTrue(csp.contains("script-src 'self'") && csp.contains("connect-src 'self'")
                && csp.contains("style-src 'self'"), csp);
        assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
        // index.html has no inline script or style: every script and stylesheet is a file under /app/assets/.
        String html = index.asString();
        assertFalse(Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>").matcher(html).find(), html);
        assertFalse(html.contains("<style") || html.contains("style="), html);

        // Revalidation: the same ETag answers 304.
        String etag = index.header("ETag");
        client(newRequestId()).header("If-None-Match", etag).get("/app/").then().statusCode(304);
        client(newRequestId()).redirects().follow(false).get("/app").then().statusCode(301)
                .header("Location", "/app/");
    }

    @Test
    void hashedAssetsAreImmutableWithTheirType() {
        String html = client(newRequestId()).get("/app/").asString();
        Matcher script = Pattern.compile("src=\"(/app/assets/[^\"]+\\.js)\"").matcher(html);
        Matcher style = Pattern.compile("href=\"(/app/assets/[^\"]+\\.css)\"").matcher(html);
        assertTrue(script.find() && style.find(), html);
        client(newRequestId()).get(script.group(1)).then().statusCode(200)
                .contentType(containsString("text/javascript"))
                .header("Cache-Control", "public, max-age=31536000, immutable")
                .header("X-Content-Type-Options", "nosniff");
        client(newRequestId()).get(style.group(1)).then().statusCode(200).contentType(containsString("text/css"));
        client(newRequestId()).get("/app/assets/nothing-here.js").then().statusCode(404);
        client(newRequestId()).post("/app/").then().statusCode(405);
    }

    @Test
    void siteNameComesFromTheHost() {
        client(newRequestId()).header("Host", "strict.test").get("/app/site.json").then().statusCode(200)
                .body("name", equalTo("strict"));
        client(newRequestId()).header("Host", "nosuch.test").get("/app/site.json").then().statusCode(404);
    }

    @Test
    void theApiAndPublicPagesAreUntouched() {
        // "APP" is a short URL (base 62 of "141597": file 41597); paths are case-sensitive, so it stays a public page.
        String id = newRequestId();
        client(id).get("/APP").then().statusCode(200);
        assertEquals("/public/APP", fakes().awaitRequest(id).path());
        String apple = newRequestId();
        client(apple).get("/apple").then().statusCode(200);
        assertEquals("/public/apple", fakes().awaitRequest(apple).path());
        String api = newRequestId();
        client(api).get("/api/v2/file/info?" + creds(140)).then().statusCode(200);
        assertEquals("/api/v2/file/info", fakes().awaitRequest(api).path());
    }
}
