package io.filehost.common.api;

import java.text.Normalizer;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The request's parameters, whichever encoding they came in (the gateway normalises GET query, urlencoded and
 * multipart fields into one form). Values are trimmed and NFC-normalised; we never strip or rewrite content
 * (behaviour.md §1), but refuse control characters and undecodable bytes with a clear message.
 */
public final class ApiParams {
    private final Map<String, List<String>> values;

    private ApiParams(Map<String, List<String>> values) {
        this.values = values == null ? Collections.emptyMap() : values;
    }

    public static ApiParams of(Map<String, List<String>> values) {
        return new ApiParams(values);
    }

    /** Trimmed value, or {@code null} when absent or blank. */
    public String optional(String name) {
        List<String> list = values.get(name);
        if (list == null || list.isEmpty() || list.get(0) == null) {
            return null;
        }
        String value = list.get(0).trim();
        if (value.isEmpty()) {
            return null;
        }
        checkCharacters(name, value);
        return Normalizer.normalize(value, Normalizer.Form.NFC);
    }

    /** Present at all, even if blank: distinguishes "not sent" from "sent empty" where that matters. */
    public boolean has(String name) {
        List<String> list = values.get(name);
        return list != null && !list.isEmpty();
    }

    public String required(String name) {
        String value = optional(name);
        if (value == null) {
            throw ApiException.missingParam(name);
        }
        return value;
    }

    /**
     * A numeric id, or {@code null} when the value is not a positive number. Callers answer "not found" for those,
     * as upstream does: an id that cannot exist is simply not found.
     */
    public static Long parseId(String value) {
        if (value == null || value.isEmpty() || value.length() > 18) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return null;
            }
        }
        long id = Long.parseLong(value);
        return id > 0 ? id : null;
    }

    private static void checkCharacters(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\uFFFD') {
                throw ApiException.badRequest("The " + name + " param is not valid UTF-8.");
            }
            if (Character.isISOControl(c)) {
                throw ApiException.badRequest("The " + name + " param contains control characters.");
            }
        }
    }
}
