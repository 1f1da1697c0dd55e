package io.filehost.fileservice.tus;

import java.time.Instant;

/** One row of {@code tus_upload}: where a resumable upload stands. */
public record TusUpload(String id, long tenantId, long accountId, Long length, long offset, String metadata,
                        String filename, Long folderId, String clientIp, String objectKey, String s3UploadId,
                        String tailKey, int tailSize, byte[] md5State, byte[] sha256State, long reserved,
                        String status, Long fileId, Instant expiresAt) {
    public static final String RECEIVING = "receiving";
    public static final String COMPLETING = "completing";
    public static final String COMPLETED = "completed";

    static final String COLUMNS = "id, tenant_id, account_id, upload_length, upload_offset, metadata, filename, "
            + "folder_id, client_ip, object_key, s3_upload_id, tail_key, tail_size, md5_state, sha256_state, "
            + "reserved_bytes, status, file_id, expires_at";

    static TusUpload of(Object[] row) {
        return new TusUpload((String) row[0], num(row[1]), num(row[2]), row[3] == null ? null : num(row[3]),
                num(row[4]), (String) row[5], (String) row[6], row[7] == null ? null : num(row[7]), (String) row[8],
                (String) row[9], (String) row[10], (String) row[11], (int) num(row[12]), (byte[]) row[13],
                (byte[]) row[14], num(row[15]), (String) row[16], row[17] == null ? null : num(row[17]),
                instant(row[18]));
    }

    private static long num(Object value) {
        return ((Number) value).longValue();
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        return ((java.sql.Timestamp) value).toInstant();
    }

    public boolean lengthKnown() {
        return length != null;
    }
}
