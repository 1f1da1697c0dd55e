package io.filehost.common.events;

import java.util.List;

/**
 * The {@code folder.events} payload (docs/internal-api.md): a folder and its descendants went to trash, and
 * file-service must trash the account's active files in them. Written by folder-service through its outbox, read by
 * file-service; ids are decimal strings, as everywhere in the API.
 */
public record FoldersTrashed(
        String eventId,
        String type,
        String tenantId,
        String accountId,
        List<String> folderIds,
        long occurredAt) {
    public static final String TYPE = "FOLDERS_TRASHED";

    /** Everything a consumer relies on is present and numeric; anything else is a poison message for the DLQ. */
    public boolean isWellFormed() {
        return eventId != null && !eventId.isBlank() && type != null && isId(tenantId) && isId(accountId)
                && folderIds != null && folderIds.stream().allMatch(FoldersTrashed::isId);
    }

    private static boolean isId(String value) {
        return value != null && value.matches("[0-9]{1,18}");
    }
}
