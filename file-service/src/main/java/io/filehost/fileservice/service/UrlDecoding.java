package io.filehost.fileservice.service;

import io.filehost.common.api.ApiException;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * The {@code file_url_base64} parameter of /file/url_upload_add: base64 (standard or URL-safe alphabet, padding
 * optional) of an absolute http(s) URL. Pure; whether the address may be fetched is the worker's decision.
 */
public final class UrlDecoding {
    public static final String BAD_BASE64 = "Could not parse the file_url_base64 parameter. Ensure it's base64 encoded.";
    public static final String NOT_HTTP = "Only http:// and https:// URLs can be imported.";
    public static final String NOT_A_URL = "The file_url_base64 parameter does not hold a valid URL.";

    private UrlDecoding() {
    }

    /** The URL, or a 400 saying what is wrong with {@code value}; {@code maxLength}: the longest URL accepted. */
    public static String decode(String value, int maxLength) {
        if (value == null) {
            throw ApiException.missingParam("file_url_base64");
        }
        // A '+' sent unencoded in a query string arrives as a space.
        String text = value.replace(' ', '+');
        boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
        text = text.replaceAll("=+$", "");
        if (text.length() % 4 == 1) {
            throw ApiException.badRequest(BAD_BASE64);
        }
        String url;
        try {
            byte[] bytes = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
            url = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString().trim();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw ApiException.badRequest(BAD_BASE64);
        }
        if (url.isEmpty()) {
            throw ApiException.badRequest(BAD_BASE64);
        }
        if (url.length() > maxLength) {
            throw ApiException.badRequest("The URL is longer than " + maxLength + " characters.");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiException.badRequest(NOT_A_URL);
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !uri.isAbsolute()) {
            throw ApiException.badRequest(NOT_A_URL);
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ApiException.badRequest(NOT_HTTP);
        }
        // java.net.URI leaves the host null for names RFC 2396 does not know (2130706433, 0x7f000001, 127.1) that
        // browsers and the worker's resolver accept: an authority is enough here, the worker checks the address.
        if (uri.getRawAuthority() == null || uri.getRawAuthority().isBlank()) {
            throw ApiException.badRequest(NOT_A_URL);
        }
        return url;
    }
}
