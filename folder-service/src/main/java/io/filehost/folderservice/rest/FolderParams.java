package io.filehost.folderservice.rest;

import io.filehost.common.api.ApiException;
import io.filehost.common.api.ApiParams;
import io.filehost.folderservice.service.FolderMessages;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reading the /folder parameters: the API's lenient conventions (clamping, literal "null") in one place. */
final class FolderParams {
    private static final Pattern MD5_HEX = Pattern.compile("[0-9a-fA-F]{32}");
    private static final int MAX_NAME_LENGTH = 255;

    private FolderParams() {
    }

    /** A required folder id. An id that cannot exist (not a positive number) is simply not found, as upstream. */
    static long requiredFolderId(ApiParams params, String name, String notFoundMessage) {
        return existingId(params.required(name), notFoundMessage);
    }

    static long existingId(String value, String notFoundMessage) {
        Long id = ApiParams.parseId(value);
        if (id == null) {
            throw ApiException.notFound(notFoundMessage);
        }
        return id;
    }

    /** A destination: {@code null} (the literal, or 0 which clients use for "no folder") = root, else an id. */
    static Optional<Long> destination(String value, String notFoundMessage) {
        if (isRoot(value)) {
            return Optional.empty();
        }
        return Optional.of(existingId(value, notFoundMessage));
    }

    static boolean isRoot(String value) {
        return value == null || value.toLowerCase(Locale.ROOT).equals("null") || value.equals("0");
    }

    /** 0 private, 1 unlisted, 2 public; anything else (out of range, not a number) is private (behaviour.md §6). */
    static int isPublic(String value) {
        if (value == null) {
            return 0;
        }
        return switch (value) {
            case "1" -> 1;
            case "2" -> 2;
            default -> 0;
        };
    }

    static String folderName(String value) {
        if (value != null && value.codePointCount(0, value.length()) > MAX_NAME_LENGTH) {
            throw ApiException.badRequest(FolderMessages.NAME_TOO_LONG);
        }
        return value;
    }

    /**
     * The md5 hex of the folder's password, stored lower-cased. Anything else is refused rather than stored: a
     * 32-character value that is not hex, or a plain password, would either never match or keep a clear-text secret,
     * and hashing it for the client would silently change what the client sent.
     */
    static String accessPassword(String value) {
        if (value == null) {
            return null;
        }
        if (!MD5_HEX.matcher(value).matches()) {
            throw ApiException.badRequest(FolderMessages.BAD_ACCESS_PASSWORD);
        }
        return value.toLowerCase(Locale.ROOT);
    }
}
