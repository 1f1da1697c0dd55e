package io.filehost.gateway.multipart;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Parameters of a header value such as {@code form-data; name="a"; filename="b.txt"} or
 * {@code multipart/form-data; boundary=xyz}. Names are lower-cased, values unquoted. Inside quotes a backslash escapes
 * only {@code "} and {@code \}; any other backslash is kept, because old browsers send Windows paths unescaped.
 */
public final class HeaderParams {
    private HeaderParams() {
    }

    /** The part before the first {@code ;}, trimmed and lower-cased ({@code multipart/form-data}). */
    public static String mainValue(String header) {
        if (header == null) {
            return "";
        }
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    public static Map<String, String> parse(String header) {
        Map<String, String> params = new LinkedHashMap<>();
        if (header == null) {
            return params;
        }
        int i = header.indexOf(';');
        if (i < 0) {
            return params;
        }
        int n = header.length();
        i++;
        while (i < n) {
            while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == '\t' || header.charAt(i) == ';')) {
                i++;
            }
            int nameStart = i;
            while (i < n && header.charAt(i) != '=' && header.charAt(i) != ';') {
                i++;
            }
            String name = header.substring(nameStart, i).trim().toLowerCase(Locale.ROOT);
            String value = "";
            if (i < n && header.charAt(i) == '=') {
                i++;
                while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == '\t')) {
                    i++;
                }
                if (i < n && header.charAt(i) == '"') {
                    i++;
                    StringBuilder quoted = new StringBuilder();
                    while (i < n && header.charAt(i) != '"') {
                        char c = header.charAt(i);
                        if (c == '\\' && i + 1 < n && (header.charAt(i + 1) == '"' || header.charAt(i + 1) == '\\')) {
                            c = header.charAt(++i);
                        }
                        quoted.append(c);
                        i++;
                    }
                    i++; // closing quote (or end of input for an unterminated one)
                    value = quoted.toString();
                    while (i < n && header.charAt(i) != ';') {
                        i++;
                    }
                } else {
                    int valueStart = i;
                    while (i < n && header.charAt(i) != ';') {
                        i++;
                    }
                    value = header.substring(valueStart, i).trim();
                }
            }
            if (!name.isEmpty()) {
                params.putIfAbsent(name, value);
            }
        }
        return params;
    }

    /** The boundary of a {@code multipart/form-data} Content-Type, or {@code null} when it is not one or has none. */
    public static String multipartBoundary(String contentType) {
        if (!"multipart/form-data".equals(mainValue(contentType))) {
            return null;
        }
        String boundary = parse(contentType).get("boundary");
        // RFC 2046: 1 to 70 characters. Longer ones are tolerated a little, but a bound keeps the matcher small.
        if (boundary == null || boundary.isEmpty() || boundary.length() > 200) {
            return null;
        }
        return boundary;
    }
}
