package io.filehost.importworker.service;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The stored file's name: Content-Disposition ({@code filename*} first), else the URL's last path segment. */
public final class FilenameResolver {
    public static final String FALLBACK = "download";
    private static final Pattern EXTENDED = Pattern.compile(
            "(?i)(?:^|;)\\s*filename\\*\\s*=\\s*([A-Za-z0-9!#$&+^`{}~_-]+)'[^']*'([^;\\s]*)");
    private static final Pattern QUOTED = Pattern.compile("(?i)(?:^|;)\\s*filename\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern TOKEN = Pattern.compile("(?i)(?:^|;)\\s*filename\\s*=\\s*([^;\"\\s][^;]*)");

    private FilenameResolver() {
    }

    public static String resolve(String contentDisposition, URI url, int maxLength) {
        String name = null;
        if (contentDisposition != null) {
            name = fromContentDisposition(contentDisposition);
        }
        if (name == null || sanitize(name, maxLength) == null) {
            name = fromPath(url);
        }
        String clean = name == null ? null : sanitize(name, maxLength);
        return clean == null ? FALLBACK : clean;
    }

    static String fromContentDisposition(String header) {
        Matcher extended = EXTENDED.matcher(header);
        if (extended.find()) {
            String charset = extended.group(1);
            String decoded = percentDecode(extended.group(2), charsetOrUtf8(charset));
            if (decoded != null && !decoded.isBlank()) {
                return decoded;
            }
        }
        Matcher quoted = QUOTED.matcher(header);
        if (quoted.find()) {
            return quoted.group(1).replaceAll("\\\\(.)", "$1");
        }
        Matcher token = TOKEN.matcher(header);
        if (token.find()) {
            return token.group(1).trim();
        }
        return null;
    }

    static String fromPath(URI url) {
        String path = url.getRawPath();
        if (path == null) {
            return null;
        }
        int slash = path.lastIndexOf('/');
        String segment = path.substring(slash + 1);
        if (segment.isEmpty()) {
            return null;
        }
        String decoded = percentDecode(segment, StandardCharsets.UTF_8);
        return decoded == null ? segment : decoded;
    }

    /** No directories, no control or format characters, trimmed, bounded; null when nothing usable is left. */
    static String sanitize(String raw, int maxLength) {
        String name = raw;
        int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        if (cut >= 0) {
            name = name.substring(cut + 1);
        }
        StringBuilder out = new StringBuilder();
        name.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            if (Character.isISOControl(cp) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE
                    || type == Character.PRIVATE_USE || type == Character.UNASSIGNED) {
                return;
            }
            out.appendCodePoint(Character.isWhitespace(cp) ? ' ' : cp);
        });
        name = out.toString().strip();
        while (name.startsWith(".")) {
            name = name.substring(1).strip(); // no hidden files, no "." or ".."
        }
        if (name.isEmpty()) {
            return null;
        }
        if (name.codePointCount(0, name.length()) > maxLength) {
            int dot = name.lastIndexOf('.');
            String extension = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
            int keep = maxLength - extension.codePointCount(0, extension.length());
            name = name.substring(0, name.offsetByCodePoints(0, Math.max(1, keep))).strip() + extension;
        }
        return name;
    }

    private static Charset charsetOrUtf8(String name) {
        try {
            return Charset.forName(name.toUpperCase(Locale.ROOT));
        } catch (Exception unknown) {
            return StandardCharsets.UTF_8;
        }
    }

    private static String percentDecode(String s, Charset charset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() + 0 && i + 2 <= s.length() - 1
                    && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException malformed) {
            return null;
        }
    }
}
