package io.filehost.fileservice.service;

import io.filehost.common.api.ApiException;
import io.vertx.core.http.impl.MimeMapping;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Names as behaviour.md §5 describes them: extension, keywords, the "name (2).ext" rule, the type from the name. */
public final class FileNames {
    public static final String OCTET_STREAM = "application/octet-stream";
    private static final int MAX_LENGTH = 255;
    public static final String CONTROL_CHARACTERS = "The file name contains control characters or invalid UTF-8.";

    private FileNames() {
    }

    /** A client-sent name: only its last path segment (browsers may send one), NFC, no control characters. */
    public static String clean(String raw) {
        if (raw == null) {
            return null;
        }
        String name = raw;
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        if (slash >= 0) {
            name = name.substring(slash + 1);
        }
        name = Normalizer.normalize(name.trim(), Normalizer.Form.NFC);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\uFFFD' || Character.isISOControl(c)) {
                throw ApiException.badRequest(CONTROL_CHARACTERS);
            }
        }
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return "file";
        }
        if (name.codePointCount(0, name.length()) > MAX_LENGTH) {
            throw ApiException.badRequest("The file name is longer than " + MAX_LENGTH + " characters.");
        }
        return name;
    }

    public static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Vert.x's mapping (the one its static file handler uses, ~1000 IANA/Apache entries) behind one method. */
    public static String mimeType(String name) {
        String extension = extension(name);
        String type = extension.isEmpty() ? null : MimeMapping.getMimeTypeForExtension(extension);
        return type == null ? OCTET_STREAM : type;
    }

    public static String keywords(String name) {
        List<String> words = new ArrayList<>();
        for (String word : name.toLowerCase(Locale.ROOT).split("[_\\-.,() ]+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return String.join(",", words);
    }

    /** The first of name, "name (2).ext", "name (3).ext"… not in {@code taken}. */
    public static String unique(String name, Set<String> taken) {
        if (!taken.contains(name)) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String base = dot <= 0 ? name : name.substring(0, dot);
        String ext = dot <= 0 ? "" : name.substring(dot);
        for (int n = 2; ; n++) {
            String candidate = base + " (" + n + ")" + ext;
            if (!taken.contains(candidate)) {
                return candidate;
            }
        }
    }

    public static String escapeHtml(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
