package io.filehost.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "filehost.storage")
public interface StorageConfig {
    /** One bucket per deployment (design.md §Bytes); keys inside it are generated, never taken from user input. */
    @WithDefault("filehost")
    String bucket();

    /** Create the bucket at start when missing: right for local platforms, off where an operator provisions it. */
    @WithDefault("true")
    boolean createBucket();

    /** Streaming multipart writes ({@link ObjectWriter}). */
    Upload upload();

    interface Upload {
        /**
         * Parts of one object uploading while the next is read. One object then holds at most (this + 1) part
         * buffers, plus the MinIO client's copy of each part in flight.
         */
        @WithDefault("2")
        int partsInFlight();

        /** Parts of all objects uploading at once: bounds the memory of many concurrent uploads. */
        @WithDefault("6")
        int partsInFlightTotal();

        /**
         * Send parts with {@code x-amz-content-sha256: UNSIGNED-PAYLOAD} ({@link PartUploadClient}): the request is
         * signed, the part's bytes are not. Saves a SHA-256 and an MD5 of every byte in this service and, with
         * S3Proxy, the server's in-memory buffering of each signed part. On https TLS protects the bytes anyway; on
         * plain http (a loopback or a trusted network) set false to have every part's SHA-256 signed.
         */
        @WithDefault("true")
        boolean unsignedPayload();
    }
}
