package io.filehost.folderservice.service;

/**
 * Counters computed from file-service's statistics: {@code totalSize} over the folder and every active descendant,
 * {@code fileCount} and {@code totalDownloads} over the files directly inside (behaviour.md §6).
 */
public record FolderTotals(long totalSize, int fileCount, int totalDownloads) {
    public static final FolderTotals EMPTY = new FolderTotals(0, 0, 0);
}
