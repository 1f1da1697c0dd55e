package io.filehost.fileservice.tus;

import io.filehost.common.api.ApiException;
import io.filehost.common.api.TusProtocol;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parses the tus headers whose syntax the protocol fixes (pure functions; unit tested). */
public final class TusMetadata {
    public static final int MAX_HEADER = 4096;

    private TusMetadata() {
    }

    /**
     * {@code Upload-Metadata}: comma-separated pairs of a key and an optional base64 value, keys unique. Values are
     * decoded as UTF-8 (invalid UTF-8 is refused: the values become file names).
     */
    public static Map<String, String> parse(String header) {
        Map<String, String> values = new LinkedHashMap<>();
        if (header == null || header.isBlank()) {
            return values;
        }
        if (header.length() > MAX_HEADER) {
            throw ApiException.badRequest("The Upload-Metadata header is longer than " + MAX_HEADER + " characters.");
        }
        for (String pair : header.split(",", -1)) {
            String trimmed = pair.trim();
            String[] parts = trimmed.split(" ", -1);
            if (trimmed.isEmpty() || parts.length > 2 || parts[0].isEmpty()) {
                throw ApiException.badRequest("The Upload-Metadata header is malformed: each entry is a key and an "
                        + "optional base64 value.");
            }
            String key = parts[0];
            if (values.containsKey(key)) {
                throw ApiException.badRequest("The Upload-Metadata header names the key '" + printable(key)
                        + "' twice.");
            }
            values.put(key, parts.length == 2 ? decode(key, parts[1]) : "");
        }
        return values;
    }

    private static String decode(String key, String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("The Upload-Metadata value of '" + printable(key) + "' is not base64.");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("The Upload-Metadata value of '" + printable(key) + "' is not UTF-8.");
        }
    }

    private static String printable(String key) {
        return key.length() > 40 ? key.substring(0, 40) + "…" : key.replaceAll("\\p{Cntrl}", "?");
    }

    /** A non-negative integer header ({@code Upload-Length}, {@code Upload-Offset}); null when absent. */
    public static Long length(String name, String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        if (trimmed.isEmpty() || trimmed.length() > 19 || !trimmed.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ApiException.badRequest("The " + name + " header must be a non-negative integer.");
        }
        try {
            return Long.parseLong(trimmed);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("The " + name + " header must be a non-negative integer.");
        }
    }

    /** {@code Upload-Checksum: <algorithm> <base64 digest>}; the algorithm one of TusProtocol.CHECKSUM_ALGORITHMS. */
    public record Checksum(String jdkAlgorithm, byte[] expected) {
    }

    public static Checksum checksum(String header) {
        if (header == null) {
            return null;
        }
        String[] parts = header.trim().split(" ");
        if (parts.length != 2) {
            throw ApiException.badRequest("The Upload-Checksum header must be an algorithm and a base64 digest.");
        }
        String algorithm = switch (parts[0].toLowerCase(java.util.Locale.ROOT)) {
            case "sha1" -> "SHA-1";
            case "md5" -> "MD5";
            case "sha256" -> "SHA-256";
            default -> throw ApiException.badRequest("The checksum algorithm '" + printable(parts[0])
                    + "' is not supported (supported: " + TusProtocol.CHECKSUM_ALGORITHMS + ").");
        };
        try {
            return new Checksum(algorithm, Base64.getDecoder().decode(parts[1]));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("The Upload-Checksum digest is not base64.");
        }
    }
}
