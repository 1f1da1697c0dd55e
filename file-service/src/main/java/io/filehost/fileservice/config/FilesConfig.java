package io.filehost.fileservice.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "filehost.files")
public interface FilesConfig {
    /**
     * S3 multipart part size for uploads of unknown length. The writer ({@code ObjectWriter}) holds up to
     * {@code filehost.storage.upload.parts-in-flight} + 1 part buffers per upload (the one being read plus those
     * uploading), so this bounds an upload's memory (8 MiB x (parts in flight + 1) x concurrent uploads) and, with S3's 10,000 parts, the largest
     * object (80 GiB at 8 MiB). 5 MiB is S3's minimum.
     */
    @WithDefault("8388608")
    long partSize();

    /**
     * Quota is reserved ahead of a stream of unknown length in doubling steps, one transaction each: this is the
     * first step (and the most a small upload of unknown length holds beyond its bytes while streaming).
     */
    @WithDefault("8388608")
    long reservationStep();

    /** The largest single reservation step: with 8 MiB first, a GiB of unknown length takes 9 transactions. */
    @WithDefault("268435456")
    long reservationMaxStep();

    /**
     * How often each process heartbeats all its open upload sessions (one UPDATE), whatever their streams do; also
     * how often dead sessions are swept (read by the scheduler expressions in {@code Quotas}).
     */
    @WithDefault("5s")
    String uploadSessionHeartbeat();

    /**
     * An upload session without a heartbeat for this long belongs to a dead process and is released (its quota and
     * slot): a few heartbeats, so a slow scheduler never makes a live session look dead.
     */
    @WithDefault("PT20S")
    Duration uploadSessionStaleAfter();

    /** How long a download URL works. */
    @WithDefault("PT24H")
    Duration downloadTokenTtl();

    /** Trashed files are purged (record removed, bytes freed when unreferenced) this long after deletion. */
    @WithDefault("P30D")
    Duration trashRetention();

    /**
     * An S3 object no {@code stored_object} row references is an orphan (a crash between a purge's commit and its S3
     * delete, or between an upload's S3 write and its row). Only objects older than this are swept, so an upload in
     * flight is never touched.
     */
    @WithDefault("P2D")
    Duration orphanMinAge();

    /** How often the purge looks for expired trash (read by the scheduler expression). */
    @WithDefault("10m")
    String purgeInterval();

    /**
     * file-service's own credential at auth-service's token exchange (env FILEHOST_FILES_SERVICE_KEY, from a secret;
     * auth-service holds only its SHA-256). Required: without it an upload whose folder_id follows the file part could
     * not be checked once the request's JWT has expired.
     */
    String serviceKey();

    /**
     * How long a failed {@code folder.events}/{@code file.url-import.events} record waits on its retry topic before the
     * second attempt (io.filehost.messaging.RetryTopics): longer than a database restart (~15 s), so a blip does not
     * send the event to the DLQ.
     */
    @WithDefault("PT30S")
    Duration eventRetryDelay();

    /** Remote URL imports (/file/url_upload_add). */
    UrlImport urlImport();

    interface UrlImport {
        /** Topic the scheduling transaction's outbox row goes to (tests use their own, see application.properties). */
        @WithDefault("file.url-import.requested")
        String requestsTopic();

        /** Longest URL accepted (after base64 decoding). */
        @WithDefault("2048")
        int maxUrlLength();

        /**
         * A {@code downloading} job without any worker event for this long is re-armed (its worker died and its
         * request will not come back on its own). Longer than the worker's read timeout, which fails a stalled fetch.
         */
        @WithDefault("PT5M")
        Duration stuckAfter();

        /** Attempts (the first one included) before a job that keeps going silent is failed. */
        @WithDefault("3")
        int maxAttempts();

        /** How often stuck jobs are looked for (read by the scheduler expression). */
        @WithDefault("30s")
        String rearmInterval();
    }
}
