package io.filehost.common.events;

/** Kafka topic names (design.md §Events). deploy/local/topics.txt and the deploy manifests create the same set. */
public final class Topics {
    public static final String TOKEN_REVOKED = "auth.token-revoked";
    public static final String URL_IMPORT_REQUESTED = "file.url-import.requested";
    public static final String URL_IMPORT_EVENTS = "file.url-import.events";
    public static final String FOLDER_EVENTS = "folder.events";

    private Topics() {
    }
}
