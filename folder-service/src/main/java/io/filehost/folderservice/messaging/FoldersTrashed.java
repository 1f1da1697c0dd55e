package io.filehost.folderservice.messaging;

import java.util.List;

/**
 * The {@code folder.events} payload of docs/internal-api.md: a folder and its descendants went to trash, and
 * file-service must trash the account's active files in them. Ids are decimal strings, as everywhere in the API.
 * Belongs in {@code common.events} beside TokenRevoked once file-service consumes it (one class for both ends).
 */
public record FoldersTrashed(
        String eventId,
        String type,
        String tenantId,
        String accountId,
        List<String> folderIds,
        long occurredAt) {
    public static final String TYPE = "FOLDERS_TRASHED";
}
