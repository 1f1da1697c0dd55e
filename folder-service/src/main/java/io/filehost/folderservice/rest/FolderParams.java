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

    /**
     * create's {@code parent_id}: the root for anything upstream's {@code (int)} cast makes 0 (blank, {@code 0},
     * {@code null}, text such as {@code None} that a real client sends for "no value"); any other value must be an
     * active folder of the account (behaviour.md §6).
     */
    static Long createParent(String value) {
        if (value == null || castsToZero(value)) {
            return null;
        }
        return existingId(value, FolderMessages.PARENT_NOT_FOUND);
    }

    /**
     * edit's {@code parent_id}: empty = unchanged, holding empty = root. The literal {@code null} moves to the root;
     * any other value that cannot be a folder id (blank, {@code 0}, {@code None}) leaves the parent unchanged
     * (behaviour.md §6) — a client sending its "no value" must not move the folder.
     */
    static Optional<Optional<Long>> editParent(String value) {
        if (value != null && value.equalsIgnoreCase("null")) {
            return Optional.of(Optional.empty());
        }
        if (value == null || castsToZero(value)) {
            return Optional.empty();
        }
        return Optional.of(Optional.of(existingId(value, FolderMessages.PARENT_NOT_FOUND)));
    }

    /**
     * PHP's {@code (int)} cast, which upstream applies to ids, gives 0: no leading (signed) number, or one of only
     * zeros. {@code "12abc"} casts to 12, so it is not "no value" and is refused as not found like any bad id.
     */
    static boolean castsToZero(String value) {
        int i = value.startsWith("+") || value.startsWith("-") ? 1 : 0;
        for (; i < value.length() && value.charAt(i) >= '0' && value.charAt(i) <= '9'; i++) {
            if (value.charAt(i) != '0') {
                return false;
            }
        }
        return true; // no leading digit at all, or only zeros
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
        if (value == null || isNone(value)) {
            return null; // upstream drops a value that is not 32 characters: "None" from a real client is no password
        }
        if (!MD5_HEX.matcher(value).matches()) {
            throw ApiException.badRequest(FolderMessages.BAD_ACCESS_PASSWORD);
        }
        return value.toLowerCase(Locale.ROOT);
    }

    /**
     * edit's {@code access_password}: empty = unchanged, holding empty = clear (the literal {@code null}). A client's
     * "no value" ({@code None}) leaves the password unchanged rather than being stored or clearing it.
     */
    static Optional<Optional<String>> editAccessPassword(String value) {
        if (value == null || isNone(value)) {
            return Optional.empty();
        }
        if (value.equalsIgnoreCase("null")) {
            return Optional.of(Optional.empty());
        }
        return Optional.of(Optional.of(accessPassword(value)));
    }

    /** Python's {@code None} as a real client (primeuploads-py) sends it for an unset optional parameter. */
    private static boolean isNone(String value) {
        return value.equals("None");
    }
}
