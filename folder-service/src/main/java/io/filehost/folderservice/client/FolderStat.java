package io.filehost.folderservice.client;

/** file-service's statistics of the active files of the account directly inside one folder. */
public record FolderStat(long size, long files, long downloads) {
}
