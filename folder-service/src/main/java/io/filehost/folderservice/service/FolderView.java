package io.filehost.folderservice.service;

import java.time.Instant;

/** A folder as the API shows it, detached from the entity (entities never leave the service layer). */
public record FolderView(
        long id,
        Long parentId,
        String folderName,
        int isPublic,
        String accessPassword,
        Instant dateAdded,
        Instant dateUpdated,
        int childFolderCount,
        FolderTotals totals) {
}
