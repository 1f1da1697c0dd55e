package io.filehost.fileservice.service;

import io.filehost.common.api.ApiException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Storage quota and concurrent uploads per account. Every check locks the account's {@code account_usage} row, so
 * checks of one account are serialised and N parallel uploads can never together pass the limit: the quota holds
 * {@code used_bytes + Σ upload_session.reserved_bytes + n <= limit}. Uploads reserve as they stream (each step its
 * own short transaction; the stream outlives any sensible transaction), the reservation becomes use in the
 * transaction that creates the file row, and a failed upload deletes its session. Sessions of a crashed process stop
 * their heartbeat and are swept, so no reservation or slot leaks.
 */
@ApplicationScoped
public class Quotas {
    public static final String STORAGE_FULL = "You have reached the maximum storage allowed for your account. "
            + "Please delete some files or upgrade your account.";
    public static final String TOO_MANY_UPLOADS = "You have reached the maximum number of concurrent uploads for "
            + "your account. Please wait for an upload to finish.";

    @Inject
    EntityManager entityManager;

    @Inject
    LimitRejections rejections;

    @ConfigProperty(name = "filehost.files.upload-session-stale-after", defaultValue = "PT5M")
    Duration staleAfter;

    private void lockAccount(long tenantId, long accountId) {
        entityManager.createNativeQuery("insert into account_usage (tenant_id, account_id) values (?1, ?2) "
                + "on conflict do nothing").setParameter(1, tenantId).setParameter(2, accountId).executeUpdate();
        entityManager.createNativeQuery("select used_bytes from account_usage where tenant_id = ?1 and account_id = ?2 "
                + "for update").setParameter(1, tenantId).setParameter(2, accountId).getSingleResult();
    }

    private long committed(long tenantId, long accountId) {
        // Reserved: uploads streaming now (sessions) and resumable uploads, which hold theirs between requests.
        Object value = entityManager.createNativeQuery("select a.used_bytes + coalesce((select sum(s.reserved_bytes) "
                        + "from upload_session s where s.tenant_id = a.tenant_id and s.account_id = a.account_id), 0) "
                        + "+ coalesce((select sum(t.reserved_bytes) from tus_upload t where t.tenant_id = a.tenant_id "
                        + "and t.account_id = a.account_id), 0) "
                        + "from account_usage a where a.tenant_id = ?1 and a.account_id = ?2")
                .setParameter(1, tenantId).setParameter(2, accountId).getSingleResult();
        return ((Number) value).longValue();
    }

    /** Inside the caller's transaction: serialises the account's quota and job decisions (lock order: this row first). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lock(long tenantId, long accountId) {
        lockAccount(tenantId, accountId);
    }

    /** Inside a transaction holding {@link #lock}: bytes still free under {@code limit} (0 = unlimited → MAX_VALUE). */
    @Transactional(Transactional.TxType.MANDATORY)
    public long remaining(long tenantId, long accountId, long limit) {
        return limit > 0 ? Math.max(0, limit - committed(tenantId, accountId)) : Long.MAX_VALUE;
    }

    /** Opens an upload session, refusing when the account already has {@code maxConcurrent} (0 = unlimited). */
    public UUID openSession(long tenantId, long accountId, int maxConcurrent) {
        UUID id = UUID.randomUUID();
        boolean ok = QuarkusTransaction.requiringNew().call(() -> {
            lockAccount(tenantId, accountId);
            deleteStale(tenantId, accountId);
            long open = ((Number) entityManager.createNativeQuery("select count(*) from upload_session "
                            + "where tenant_id = ?1 and account_id = ?2").setParameter(1, tenantId)
                    .setParameter(2, accountId).getSingleResult()).longValue();
            if (maxConcurrent > 0 && open >= maxConcurrent) {
                return false;
            }
            entityManager.createNativeQuery("insert into upload_session (id, tenant_id, account_id) values (?1, ?2, ?3)")
                    .setParameter(1, id).setParameter(2, tenantId).setParameter(3, accountId).executeUpdate();
            return true;
        });
        if (!ok) {
            rejections.count(LimitRejections.CONCURRENT_UPLOADS);
            throw ApiException.tooManyRequests(TOO_MANY_UPLOADS);
        }
        return id;
    }

    private void deleteStale(long tenantId, long accountId) {
        entityManager.createNativeQuery("delete from upload_session where tenant_id = ?1 and account_id = ?2 "
                        + "and heartbeat_at < ?3").setParameter(1, tenantId).setParameter(2, accountId)
                .setParameter(3, Instant.now().minus(staleAfter)).executeUpdate();
    }

    /** Reserves {@code bytes} more for the session if the quota allows it (limit 0 = unlimited). */
    public boolean reserve(UUID session, long tenantId, long accountId, long bytes, long limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            lockAccount(tenantId, accountId);
            if (limit > 0 && committed(tenantId, accountId) + bytes > limit) {
                return false;
            }
            return entityManager.createNativeQuery("update upload_session set reserved_bytes = reserved_bytes + ?2, "
                            + "heartbeat_at = now() where id = ?1").setParameter(1, session).setParameter(2, bytes)
                    .executeUpdate() == 1;
        });
    }

    /** Keeps a long upload's session alive between reservation steps. */
    public void heartbeat(UUID session) {
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                "update upload_session set heartbeat_at = now() where id = ?1").setParameter(1, session).executeUpdate());
    }

    /** Ends a session without using it (failure): its reservation and slot are released. Idempotent. */
    public void closeSession(UUID session) {
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                "delete from upload_session where id = ?1").setParameter(1, session).executeUpdate());
    }

    /** Inside the file row's transaction: the session's reservation becomes {@code used} bytes of the account. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void convert(UUID session, long tenantId, long accountId, long used) {
        lockAccount(tenantId, accountId);
        int deleted = entityManager.createNativeQuery("delete from upload_session where id = ?1")
                .setParameter(1, session).executeUpdate();
        if (deleted != 1) {
            // Swept as stale while finishing: the bytes were never reserved for us any more, re-check the quota.
            throw new IllegalStateException("upload session " + session + " expired before the upload completed");
        }
        entityManager.createNativeQuery("update account_usage set used_bytes = used_bytes + ?3 "
                        + "where tenant_id = ?1 and account_id = ?2").setParameter(1, tenantId)
                .setParameter(2, accountId).setParameter(3, used).executeUpdate();
    }

    /**
     * Inside a transaction holding {@link #lock}: bytes already reserved elsewhere (a resumable upload's row, released
     * in the same transaction) become used bytes, without a new quota check.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void use(long tenantId, long accountId, long bytes) {
        entityManager.createNativeQuery("update account_usage set used_bytes = used_bytes + ?3 "
                        + "where tenant_id = ?1 and account_id = ?2").setParameter(1, tenantId)
                .setParameter(2, accountId).setParameter(3, bytes).executeUpdate();
    }

    /** Inside the caller's transaction: atomically takes {@code bytes} of quota for a new record (copy). */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean charge(long tenantId, long accountId, long bytes, long limit) {
        lockAccount(tenantId, accountId);
        if (limit > 0 && committed(tenantId, accountId) + bytes > limit) {
            return false;
        }
        entityManager.createNativeQuery("update account_usage set used_bytes = used_bytes + ?3 "
                        + "where tenant_id = ?1 and account_id = ?2").setParameter(1, tenantId)
                .setParameter(2, accountId).setParameter(3, bytes).executeUpdate();
        return true;
    }

    /** Inside the caller's transaction: a file left the active set (trash), its bytes no longer count. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void credit(long tenantId, long accountId, long bytes) {
        entityManager.createNativeQuery("update account_usage set used_bytes = greatest(used_bytes - ?3, 0) "
                        + "where tenant_id = ?1 and account_id = ?2")
                .setParameter(1, tenantId).setParameter(2, accountId).setParameter(3, bytes).executeUpdate();
    }

    /** Sessions whose process died (no heartbeat) give their reservation and slot back. */
    @Scheduled(every = "1m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweepStaleSessions() {
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                        "delete from upload_session where heartbeat_at < ?1")
                .setParameter(1, Instant.now().minus(staleAfter)).executeUpdate());
    }
}
