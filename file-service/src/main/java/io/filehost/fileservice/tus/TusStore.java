package io.filehost.fileservice.tus;

import io.filehost.fileservice.service.Quotas;
import io.minio.messages.Part;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Every transaction on {@code tus_upload}/{@code tus_part}; never a remote call. A PATCH holds a lease on its row
 * (not a database lock: a transfer outlives any sensible transaction), so one request at a time writes an upload.
 */
@ApplicationScoped
public class TusStore {
    @Inject
    EntityManager entityManager;

    @Inject
    Quotas quotas;

    /** A new upload; with a declared length its whole quota is reserved now. False: the quota does not allow it. */
    public boolean create(TusUpload upload, long quotaLimit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            quotas.lock(upload.tenantId(), upload.accountId());
            if (upload.reserved() > 0 && upload.reserved() > quotas.remaining(upload.tenantId(), upload.accountId(),
                    quotaLimit)) {
                return false;
            }
            entityManager.createNativeQuery("insert into tus_upload (id, tenant_id, account_id, upload_length, "
                            + "metadata, filename, folder_id, client_ip, object_key, s3_upload_id, md5_state, "
                            + "sha256_state, reserved_bytes, expires_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                            + "?10, ?11, ?12, ?13, ?14)")
                    .setParameter(1, upload.id()).setParameter(2, upload.tenantId())
                    .setParameter(3, upload.accountId()).setParameter(4, upload.length())
                    .setParameter(5, upload.metadata()).setParameter(6, upload.filename())
                    .setParameter(7, upload.folderId()).setParameter(8, upload.clientIp())
                    .setParameter(9, upload.objectKey()).setParameter(10, upload.s3UploadId())
                    .setParameter(11, upload.md5State()).setParameter(12, upload.sha256State())
                    .setParameter(13, upload.reserved()).setParameter(14, upload.expiresAt())
                    .executeUpdate();
            return true;
        });
    }

    public Optional<TusUpload> find(long tenantId, long accountId, String id) {
        return QuarkusTransaction.requiringNew().call(() -> row("select " + TusUpload.COLUMNS
                + " from tus_upload where id = ?1 and tenant_id = ?2 and account_id = ?3", id, tenantId, accountId));
    }

    private Optional<TusUpload> row(String sql, Object... params) {
        var query = entityManager.createNativeQuery(sql);
        for (int i = 0; i < params.length; i++) {
            query.setParameter(i + 1, params[i]);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(TusUpload.of(rows.get(0)));
    }

    /** Outcome of {@link #claim}. */
    public enum ClaimState { CLAIMED, NOT_FOUND, LOCKED, OTHER_STATUS }

    public record Claim(ClaimState state, TusUpload upload, int partCount) {
    }

    /**
     * Takes the upload's lease for {@code token} if it is in {@code status} (receiving for a PATCH or termination,
     * completing for a HEAD that finishes an interrupted completion) and no other live request holds it.
     */
    public Claim claim(long tenantId, long accountId, String id, String status, UUID token, Duration lease) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<TusUpload> found = row("select " + TusUpload.COLUMNS + " from tus_upload where id = ?1 and "
                    + "tenant_id = ?2 and account_id = ?3 for update", id, tenantId, accountId);
            if (found.isEmpty() || found.get().expiresAt().isBefore(Instant.now())) {
                return new Claim(ClaimState.NOT_FOUND, null, 0);
            }
            TusUpload upload = found.get();
            if (!status.equals(upload.status())) {
                return new Claim(ClaimState.OTHER_STATUS, upload, 0);
            }
            int updated = entityManager.createNativeQuery("update tus_upload set lease_token = ?2, "
                            + "lease_until = ?3 where id = ?1 and (lease_until is null or lease_until < now())")
                    .setParameter(1, id).setParameter(2, token).setParameter(3, Instant.now().plus(lease))
                    .executeUpdate();
            if (updated == 0) {
                return new Claim(ClaimState.LOCKED, upload, 0);
            }
            int parts = ((Number) entityManager.createNativeQuery("select count(*) from tus_part where "
                    + "upload_id = ?1").setParameter(1, id).getSingleResult()).intValue();
            return new Claim(ClaimState.CLAIMED, upload, parts);
        });
    }

    /** Keeps a long PATCH's lease; false when it was lost (another request took the upload over). */
    public boolean renew(String id, UUID token, Duration lease) {
        return QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                        "update tus_upload set lease_until = ?3 where id = ?1 and lease_token = ?2")
                .setParameter(1, id).setParameter(2, token).setParameter(3, Instant.now().plus(lease))
                .executeUpdate() == 1);
    }

    public void release(String id, UUID token) {
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                        "update tus_upload set lease_token = null, lease_until = null where id = ?1 "
                                + "and lease_token = ?2")
                .setParameter(1, id).setParameter(2, token).executeUpdate());
    }

    /** What one PATCH adds: the new offset (and length, once a deferred one is known), tail, digests, parts. */
    public record Progress(long offset, Long length, String tailKey, int tailSize, byte[] md5State,
                           byte[] sha256State, List<Part> newParts, List<Long> newPartSizes, String status,
                           Instant expiresAt) {
    }

    /**
     * Commits what a PATCH received (its parts, the new tail, the digests' state and offset) and gives the lease
     * back, unless {@code status} is completing (the completion keeps it). False when the lease was lost.
     */
    public boolean progress(String id, UUID token, Progress progress) {
        return QuarkusTransaction.requiringNew().call(() -> {
            boolean completing = TusUpload.COMPLETING.equals(progress.status());
            int updated = entityManager.createNativeQuery("update tus_upload set upload_offset = ?3, "
                            + "upload_length = coalesce(upload_length, ?4), tail_key = ?5, tail_size = ?6, "
                            + "md5_state = ?7, sha256_state = ?8, status = ?9, expires_at = ?10, "
                            + "lease_token = case when ?11 then lease_token else null end, "
                            + "lease_until = case when ?11 then lease_until else null end "
                            + "where id = ?1 and lease_token = ?2")
                    .setParameter(1, id).setParameter(2, token).setParameter(3, progress.offset())
                    .setParameter(4, progress.length()).setParameter(5, progress.tailKey())
                    .setParameter(6, progress.tailSize()).setParameter(7, progress.md5State())
                    .setParameter(8, progress.sha256State()).setParameter(9, progress.status())
                    .setParameter(10, progress.expiresAt()).setParameter(11, completing).executeUpdate();
            if (updated == 0) {
                QuarkusTransaction.setRollbackOnly();
                return false;
            }
            for (int i = 0; i < progress.newParts().size(); i++) {
                Part part = progress.newParts().get(i);
                entityManager.createNativeQuery("insert into tus_part (upload_id, part_number, etag, size) "
                                + "values (?1, ?2, ?3, ?4) on conflict (upload_id, part_number) do update "
                                + "set etag = excluded.etag, size = excluded.size")
                        .setParameter(1, id).setParameter(2, part.partNumber()).setParameter(3, part.etag())
                        .setParameter(4, progress.newPartSizes().get(i)).executeUpdate();
            }
            return true;
        });
    }

    /** Reserves {@code bytes} more quota for a deferred-length upload; false when the quota does not allow it. */
    public boolean reserve(TusUpload upload, long bytes, long limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            quotas.lock(upload.tenantId(), upload.accountId());
            if (limit > 0 && bytes > quotas.remaining(upload.tenantId(), upload.accountId(), limit)) {
                return false;
            }
            entityManager.createNativeQuery("update tus_upload set reserved_bytes = reserved_bytes + ?2 "
                    + "where id = ?1").setParameter(1, upload.id()).setParameter(2, bytes).executeUpdate();
            return true;
        });
    }

    @SuppressWarnings("unchecked")
    public List<Part> parts(String id) {
        return QuarkusTransaction.requiringNew().call(() -> ((List<Object[]>) entityManager.createNativeQuery(
                        "select part_number, etag from tus_part where upload_id = ?1 order by part_number")
                .setParameter(1, id).getResultList()).stream()
                .map(r -> new Part(((Number) r[0]).intValue(), (String) r[1])).toList());
    }

    /**
     * Inside the file row's transaction (which holds the account's quota lock): the reservation becomes the file's
     * used bytes, the upload points at its file and is kept until {@code keepUntil} so its URL still answers.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void completed(String id, long fileId, Instant keepUntil) {
        entityManager.createNativeQuery("update tus_upload set status = 'completed', reserved_bytes = 0, "
                        + "file_id = ?2, lease_token = null, lease_until = null, tail_key = null, tail_size = 0, "
                        + "expires_at = ?3 where id = ?1").setParameter(1, id).setParameter(2, fileId)
                .setParameter(3, keepUntil).executeUpdate();
        entityManager.createNativeQuery("delete from tus_part where upload_id = ?1").setParameter(1, id)
                .executeUpdate();
    }

    /** Removes an upload's row (termination, expiry): its reservation goes with it. */
    public void delete(String id) {
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                "delete from tus_upload where id = ?1").setParameter(1, id).executeUpdate());
    }

    /**
     * Up to {@code limit} uploads the sweep must act on, each claimed with a lease for {@code token} so that one
     * replica at a time handles it: receiving or completing ones past their expiry or with a dead lease mid-completion,
     * and completed ones past their retention.
     */
    @SuppressWarnings("unchecked")
    public List<TusUpload> claimForSweep(UUID token, Duration lease, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Object[]> rows = entityManager.createNativeQuery("select " + TusUpload.COLUMNS + " from tus_upload "
                            + "where (expires_at < now() or status = 'completing') "
                            + "and (lease_until is null or lease_until < now()) "
                            + "order by expires_at limit ?1 for update skip locked")
                    .setParameter(1, limit).getResultList();
            List<TusUpload> uploads = rows.stream().map(TusUpload::of).toList();
            for (TusUpload upload : uploads) {
                entityManager.createNativeQuery("update tus_upload set lease_token = ?2, lease_until = ?3 "
                                + "where id = ?1").setParameter(1, upload.id()).setParameter(2, token)
                        .setParameter(3, Instant.now().plus(lease)).executeUpdate();
            }
            return uploads;
        });
    }
}
