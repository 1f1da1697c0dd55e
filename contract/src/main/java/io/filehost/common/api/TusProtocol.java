package io.filehost.common.api;

/** The tus 1.0 protocol as the platform speaks it (docs/tus.md): shared by the gateway and file-service. */
public final class TusProtocol {
    public static final String VERSION = "1.0.0";
    public static final String EXTENSIONS = "creation,creation-with-upload,creation-defer-length,termination,"
            + "expiration,checksum";
    public static final String CHECKSUM_ALGORITHMS = "sha1,md5,sha256";
    /** The account of the access token in {@code Authorization: Bearer}: the API's {@code account_id}. */
    public static final String ACCOUNT_HEADER = "X-Account-Id";
    /** Response headers that name the file a completed upload became (tus has none of its own). */
    public static final String FILE_ID = "Filehost-File-Id";
    public static final String SHORT_URL = "Filehost-Short-Url";
    public static final String FILE_URL = "Filehost-File-Url";

    private TusProtocol() {
    }
}
