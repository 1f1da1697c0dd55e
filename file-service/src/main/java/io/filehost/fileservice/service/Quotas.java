package io.filehost.fileservice.service;

import io.filehost.common.api.ApiException;
import io.filehost.fileservice.config.FilesConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Storage quota and concurrent uploads per account. Every check locks the account's {@code account_usage} row, so
 * checks of one account are serialised and N parallel uploads can never together pass the limit: the quota holds
 * {@code used_bytes + Σ upload_session.reserved_bytes + n <= limit}. Uploads reserve ahead of the stream in a few
 * large steps (each its own short transaction, see {@link #reserve}; the stream outlives any sensible transaction),
 * the reservation becomes use in the transaction that creates the file row (the unused part goes with the session),
 * and a failed upload deletes its session.
 * <p>
 * Sessions of a crashed process are swept, so no reservation or slot leaks. Liveness does not depend on the stream:
 * this process heartbeats all its open sessions in one UPDATE every {@code filehost.files.upload-session-heartbeat}
 * (5 s), and a session without a heartbeat for {@code filehost.files.upload-session-stale-after} (20 s) is dead.
 * <b>Bound:</b> the quota and slot of an upload whose process was killed are free again at most stale-after (20 s)
 * after the kill for the account's next upload (opening a session drops the account's dead ones), and at most
 * stale-after + one heartbeat interval (25 s) for everyone else (the sweep). Times are the database's clock, so the
 * replicas' clocks do not matter.
 */
@ApplicationScoped
public class Quotas {
    public static final String STORAGE_FULL = "You have reached the maximum storage allowed for your account. "
            + "Please delete some files or upgrade your account.";
    public static final String TOO_MANY_UPLOADS = "You have reached the maximum number of concurrent uploads for "
            + "your account. Please wait for an upload to finish.";

    private static final Logger LOG = Logger.getLogger(Quotas.class);
    private static final int HEARTBEAT_BATCH = 1000;

    @Inject
    EntityManager entityManager;

    @Inject
    LimitRejections rejections;

    @Inject
    MeterRegistry registry;

    @Inject
    FilesConfig config;

    /** This process's open sessions: heartbeated together, whatever their streams are doing. */
    private final Set<UUID> live = ConcurrentHashMap.newKeySet();

    /**
     * Until when ({@link System#nanoTime}) nothing may be swept: after this process could not reach the database,
     * every session's heartbeat may be old because nobody could write it, not because its process died. Sweeping
     * resumes once live processes had a whole staleness window to heartbeat again.
     */
    private volatile long noSweepUntil = System.nanoTime();

    /** Reservation transactions (a few per upload, not one per MiB as once); read by tests and dashboards. */
    private Counter reservations;

    @PostConstruct
    void meters() {
        reservations = registry.counter("filehost.upload.quota.reservations");
    }

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
        if (ok) {
            live.add(id);
        } else {
            rejections.count(LimitRejections.CONCURRENT_UPLOADS);
            throw ApiException.tooManyRequests(TOO_MANY_UPLOADS);
        }
        return id;
    }

    private void deleteStale(long tenantId, long accountId) {
        if (sweepAllowed()) {
            entityManager.createNativeQuery("delete from upload_session where tenant_id = ?1 and account_id = ?2 "
                            + "and heartbeat_at < now() - make_interval(secs => ?3)").setParameter(1, tenantId)
                    .setParameter(2, accountId).setParameter(3, staleSeconds()).executeUpdate();
        }
    }

    /**
     * One reservation step for {@code session}, which holds {@code held} bytes: at least {@code needed} more (bytes
     * already read beyond {@code held}), up to {@code wanted} more, never beyond what {@code limit} leaves free. A
     * {@code speculative} step (ahead of a stream of unknown length) takes beyond {@code needed} at most half of the
     * free room, so that near the quota a parallel upload of the account is not refused for bytes this one may never
     * use. Returns the bytes added (≥ {@code needed}), or -1 when even {@code needed} does not fit (storage full).
     * Only for a limited account ({@code limit > 0}).
     * <p>
     * One transaction under the account row's lock, so parallel uploads can never together pass the limit. If the
     * session row is gone (swept while this process could not heartbeat), it is re-created holding everything the
     * upload reserved, checked against the quota like any reservation.
     */
    public long reserve(UUID session, long tenantId, long accountId, long held, long needed, long wanted,
                        boolean speculative, long limit) {
        reservations.increment();
        return QuarkusTransaction.requiringNew().call(() -> {
            lockAccount(tenantId, accountId);
            List<?> row = entityManager.createNativeQuery("select reserved_bytes from upload_session where id = ?1")
                    .setParameter(1, session).getResultList();
            long stored = row.isEmpty() ? 0 : ((Number) row.get(0)).longValue();
            long free = limit - (committed(tenantId, accountId) - stored) - held;
            if (free < needed) {
                return -1L;
            }
            long grant = Math.min(wanted, speculative ? Math.max(needed, free / 2) : free);
            entityManager.createNativeQuery("insert into upload_session (id, tenant_id, account_id, reserved_bytes) "
                            + "values (?1, ?2, ?3, ?4) on conflict (id) do update "
                            + "set reserved_bytes = excluded.reserved_bytes, heartbeat_at = now()")
                    .setParameter(1, session).setParameter(2, tenantId).setParameter(3, accountId)
                    .setParameter(4, held + grant).executeUpdate();
            return grant;
        });
    }

    /** Ends a session without using it (failure): its reservation and slot are released. Idempotent. */
    public void closeSession(UUID session) {
        live.remove(session);
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                "delete from upload_session where id = ?1").setParameter(1, session).executeUpdate());
    }

    /** Inside the file row's transaction: the session's reservation becomes {@code used} bytes of the account. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void convert(UUID session, long tenantId, long accountId, long used) {
        live.remove(session);
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

    /** Keeps this process's open sessions alive: one UPDATE for all of them, independent of their streams' pace. */
    @Scheduled(every = "${filehost.files.upload-session-heartbeat:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void heartbeatLiveSessions() {
        if (live.isEmpty()) {
            return;
        }
        List<UUID> ids = new ArrayList<>(live);
        try {
            for (int from = 0; from < ids.size(); from += HEARTBEAT_BATCH) {
                List<UUID> batch = ids.subList(from, Math.min(ids.size(), from + HEARTBEAT_BATCH));
                QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                        "update upload_session set heartbeat_at = now() where id in (?1)")
                        .setParameter(1, batch).executeUpdate());
            }
        } catch (RuntimeException e) {
            databaseTrouble("heartbeat", e);
        }
    }

    /**
     * Sessions whose process died (no heartbeat for stale-after) give their reservation and slot back. A replica
     * that replaces a killed one runs this as soon as it starts, so the dead process's sessions go within the bound.
     */
    @Scheduled(every = "${filehost.files.upload-session-heartbeat:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sweepStaleSessions() {
        if (!sweepAllowed()) {
            return;
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                            "delete from upload_session where heartbeat_at < now() - make_interval(secs => ?1)")
                    .setParameter(1, staleSeconds()).executeUpdate());
        } catch (RuntimeException e) {
            databaseTrouble("sweep", e);
        }
    }

    private void databaseTrouble(String what, RuntimeException e) {
        boolean first = sweepAllowed();
        noSweepUntil = System.nanoTime() + config.uploadSessionStaleAfter().toNanos();
        if (first) {
            // One line per outage: the request path reports the outage itself.
            LOG.warnf("Upload session %s failed (%s); no session is swept until the database has been back for %s",
                    what, e.getMessage(), config.uploadSessionStaleAfter());
        }
    }

    private boolean sweepAllowed() {
        return System.nanoTime() - noSweepUntil >= 0;
    }

    private double staleSeconds() {
        return config.uploadSessionStaleAfter().toMillis() / 1000.0;
    }
}
