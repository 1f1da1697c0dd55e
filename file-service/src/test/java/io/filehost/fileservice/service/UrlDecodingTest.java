package io.filehost.fileservice.service;

import io.filehost.common.api.ApiException;
import io.filehost.common.api.ApiMessages;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link UrlDecoding} alone: what clients send as {@code file_url_base64}, and every way it can be wrong. */
class UrlDecodingTest {
    private static final int MAX = 2048;

    @Test
    void standardAndUrlSafeAlphabetsWithOrWithoutPadding() {
        String url = "http://example.com/x?~~~"; // '/' and '+' in the standard alphabet, '_' and '-' in the other
        byte[] bytes = url.getBytes(StandardCharsets.UTF_8);
        assertEquals("aHR0cDovL2V4YW1wbGUuY29tL3g/fn5+", Base64.getEncoder().encodeToString(bytes));
        assertEquals(url, UrlDecoding.decode(Base64.getEncoder().encodeToString(bytes), MAX));
        assertEquals(url, UrlDecoding.decode(Base64.getUrlEncoder().encodeToString(bytes), MAX));
        assertEquals(url, UrlDecoding.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), MAX));
        assertEquals(url, UrlDecoding.decode(Base64.getEncoder().withoutPadding().encodeToString(bytes), MAX));
    }

    @Test
    void aPlusThatArrivedAsASpaceIsAPlus() {
        String encoded = base64("http://example.com/~~~");
        assertEquals(true, encoded.contains("+"), encoded);
        assertEquals("http://example.com/~~~", UrlDecoding.decode(encoded.replace('+', ' '), MAX));
    }

    @Test
    void surroundingWhiteSpaceOfTheUrlIsTrimmed() {
        assertEquals("http://example.com/x", UrlDecoding.decode(base64("  http://example.com/x\n"), MAX));
    }

    @Test
    void addressesJavaNetUriCannotNameAreLeftToTheWorker() {
        assertEquals("http://2130706433/x", UrlDecoding.decode(base64("http://2130706433/x"), MAX));
        assertEquals("http://127.1/x", UrlDecoding.decode(base64("http://127.1/x"), MAX));
    }

    @Test
    void whatIsNotBase64OfUtf8IsBadBase64() {
        assertRefused(UrlDecoding.BAD_BASE64, "a");
        assertRefused(UrlDecoding.BAD_BASE64, "!!!!");
        assertRefused(UrlDecoding.BAD_BASE64, Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, 0x41}));
        assertRefused(UrlDecoding.BAD_BASE64, "");
        assertRefused(UrlDecoding.BAD_BASE64, base64("   "));
    }

    @Test
    void onlyAbsoluteHttpUrlsWithAnAuthority() {
        assertRefused(UrlDecoding.NOT_HTTP, base64("ftp://example.com/file"));
        assertRefused(UrlDecoding.NOT_HTTP, base64("file:///etc/passwd"));
        assertRefused(UrlDecoding.NOT_A_URL, base64("/relative/path"));
        assertRefused(UrlDecoding.NOT_A_URL, base64("http:///no-host"));
        assertRefused(UrlDecoding.NOT_A_URL, base64("http://exa mple.com/"));
        assertRefused(UrlDecoding.NOT_A_URL, base64("http://example.com/<script>"));
    }

    @Test
    void aMissingParameterAndATooLongUrlSaySo() {
        assertRefused(ApiMessages.missingParam("file_url_base64"), null);
        String url = "http://example.com/" + "a".repeat(MAX);
        assertRefused("The URL is longer than " + MAX + " characters.", base64(url));
    }

    private static void assertRefused(String message, String value) {
        ApiException refused = assertThrows(ApiException.class, () -> UrlDecoding.decode(value, MAX));
        assertEquals(400, refused.status());
        assertEquals(message, refused.getMessage());
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
