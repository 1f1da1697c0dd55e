package io.filehost.gateway.proxy;

import io.netty.handler.codec.http.QueryStringDecoder;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Query strings and urlencoded bodies: decoding, merging and re-encoding for the normalised forward. */
public final class FormParams {
    public static final String ACCESS_TOKEN = "access_token";
    public static final String ACCOUNT_ID = "account_id";
    private static final int MAX_PARAMS = 1024;

    private FormParams() {
    }

    /**
     * Decodes {@code a=1&b=2} ({@code +} is a space, UTF-8; {@code ;} is an ordinary character, as in PHP).
     *
     * @throws IllegalArgumentException on a broken percent-escape
     */
    public static Map<String, List<String>> decode(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return new LinkedHashMap<>();
        }
        return new LinkedHashMap<>(new QueryStringDecoder(encoded, StandardCharsets.UTF_8, false, MAX_PARAMS, true)
                .parameters());
    }

    /** Query values overridden, name by name, by body values (internal-api.md: the body wins). */
    public static Map<String, List<String>> merge(Map<String, List<String>> query, Map<String, List<String>> body) {
        Map<String, List<String>> merged = new LinkedHashMap<>(query);
        merged.putAll(body);
        return merged;
    }

    public static String encode(Map<String, List<String>> params) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, List<String>> entry : params.entrySet()) {
            if (entry.getKey() == null || entry.getKey().isEmpty()) {
                continue;
            }
            String name = URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8);
            for (String value : entry.getValue()) {
                if (!out.isEmpty()) {
                    out.append('&');
                }
                out.append(name).append('=').append(URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8));
            }
        }
        return out.toString();
    }

    /** First value, trimmed; null when absent or blank (behaviour.md §1: values are trimmed). */
    public static String firstNonBlank(List<String> values) {
        if (values == null) {
            return null;
        }
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }

    public static String firstNonBlank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The raw query string without any {@code name=...} pair; other pairs are kept byte for byte. */
    public static String withoutParam(String rawQuery, String name) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        StringBuilder kept = new StringBuilder();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String decodedName;
            try {
                decodedName = QueryStringDecoder.decodeComponent(rawName, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decodedName = rawName;
            }
            if (name.equals(decodedName) || pair.isEmpty()) {
                continue;
            }
            if (!kept.isEmpty()) {
                kept.append('&');
            }
            kept.append(pair);
        }
        return kept.toString();
    }
}
