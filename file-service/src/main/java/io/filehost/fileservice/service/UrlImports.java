package io.filehost.fileservice.service;

import io.filehost.common.internal.Account;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.filehost.common.api.ApiException;
import io.filehost.common.api.ApiParams;
import io.filehost.common.internal.PackageLimits;
import io.filehost.common.security.Secrets;
import io.filehost.fileservice.config.FilesConfig;
import io.filehost.fileservice.entity.FileRecord;
import io.filehost.fileservice.entity.UrlImportJob;
import io.filehost.messaging.Outbox;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Remote URL imports, file-service's half (behaviour.md §5, internal-api.md "Remote URL import"): scheduling a job
 * writes the job and its request to the outbox in one transaction; the worker's events move the job on and its
 * COMPLETED event becomes a file record with the same rules as an upload; a {@code downloading} job whose worker went
 * silent is re-armed with the next attempt, so no job stays {@code downloading} for ever.
 */
@ApplicationScoped
public class UrlImports {
    private static final Logger LOG = Logger.getLogger(UrlImports.class);
    public static final String SCHEDULED = "File download from URL scheduled";
    public static final String FOUND = "Scheduled URL file download found";
    public static final String BAD_BASE64 = "Could not parse the file_url_base64 parameter. Ensure it's base64 encoded.";
    public static final String NOT_HTTP = "Only http:// and https:// URLs can be imported.";
    public static final String NOT_A_URL = "The file_url_base64 parameter does not hold a valid URL.";
    public static final String TOO_MANY = "You have reached the maximum number of remote URL downloads for your "
            + "account. Please wait for a scheduled download to finish.";
    public static final String NOT_FOUND = "Could not find scheduled URL file download based on scheduled_item_id.";
    public static final String GAVE_UP = "The download stopped responding and was given up after %d attempts.";
    private static final int MAX_ERROR_LENGTH = 1000;

    @Inject
    EntityManager entityManager;

    @Inject
    FileService files;

    @Inject
    Quotas quotas;

    @Inject
    Outbox outbox;

    @Inject
    FilesConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    Uploader uploader;

    @Inject
    LimitRejections rejections;

    @Inject
    MeterRegistry registry;

    /** Open jobs per status, refreshed by {@link #refreshOpenCounts()} (a gauge must not query on every scrape). */
    private final Map<String, AtomicLong> openJobs = new ConcurrentHashMap<>();

    @PostConstruct
    void registerMetrics() {
        for (String status : UrlImportJob.OPEN) {
            AtomicLong value = new AtomicLong();
            openJobs.put(status, value);
            Gauge.builder("filehost.url_imports.open", value,
                            AtomicLong::get)
                    .description("URL import jobs not finished yet, by status (all replicas; refreshed every 15 s)")
                    .tag("status", status).register(registry);
        }
    }

    @Scheduled(every = "15s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    public void refreshOpenCounts() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                "select status, count(*) from url_import_job where status in ('pending', 'downloading', 'processing') "
                        + "group by status").getResultList());
        openJobs.values().forEach(value -> value.set(0));
        for (Object[] row : rows) {
            AtomicLong value = openJobs.get((String) row[0]);
            if (value != null) {
                value.set(((Number) row[1]).longValue());
            }
        }
    }

    private void finished(String outcome) {
        registry.counter("filehost.url_imports.finished", "outcome", outcome).increment();
    }

    /** A job and, once complete, its file (null while running, after a failure, or if the file was purged). */
    public record JobView(UrlImportJob job, FileRecord file) {
    }

    /** /file/url_upload_add. The same URL already open for the account answers its existing job. */
    public UrlImportJob schedule(Account account, String fileUrlBase64, String folderParam) {
        String url = decodeUrl(fileUrlBase64);
        PackageLimits limits = account.limits();
        if (!limits.canUpload()) {
            rejections.count(LimitRejections.CAN_UPLOAD);
            throw new ApiException(403, FileService.UPLOAD_NOT_ALLOWED); // as /file/upload
        }
        // The folder check calls folder-service: outside the transaction, which then only holds local locks.
        Long folderId = files.uploadFolder(folderParam, account.strictHttp());
        String urlHash = Secrets.sha256Hex(url);
        return QuarkusTransaction.requiringNew().call(() -> {
            quotas.lock(account.tenantId(), account.accountId());
            UrlImportJob existing = UrlImportJob.find("tenantId = ?1 and accountId = ?2 and urlSha256 = ?3 "
                            + "and status in ?4", account.tenantId(), account.accountId(), urlHash, UrlImportJob.OPEN)
                    .firstResult();
            if (existing != null) {
                return existing;
            }
            long open = UrlImportJob.count("tenantId = ?1 and accountId = ?2 and status in ?3", account.tenantId(),
                    account.accountId(), UrlImportJob.OPEN);
            if (limits.maxRemoteDownloadUrls() > 0 && open >= limits.maxRemoteDownloadUrls()) {
                rejections.count(LimitRejections.REMOTE_URLS);
                throw ApiException.tooManyRequests(TOO_MANY);
            }
            long remaining = quotas.remaining(account.tenantId(), account.accountId(), limits.effectiveStorageLimit());
            if (remaining == 0) {
                rejections.count(LimitRejections.STORAGE);
                throw ApiException.tooLarge(Quotas.STORAGE_FULL);
            }
            long maxBytes = Math.min(remaining, limits.maxUploadSize() > 0 ? limits.maxUploadSize() : Long.MAX_VALUE);
            UrlImportJob job = new UrlImportJob();
            job.tenantId = account.tenantId();
            job.accountId = account.accountId();
            job.url = url;
            job.urlSha256 = urlHash;
            job.folderId = folderId;
            job.status = UrlImportJob.PENDING;
            job.attempt = 1;
            job.limits = json.writeValueAsString(limits.toClaim());
            job.maxBytes = maxBytes == Long.MAX_VALUE ? 0 : maxBytes;
            job.clientIp = account.clientIp();
            job.createdAt = Instant.now();
            job.touchedAt = job.createdAt;
            job.persist();
            requestFetch(job);
            return job;
        });
    }

    /** The request of the job's current attempt, into the outbox of the caller's transaction. */
    private void requestFetch(UrlImportJob job) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("jobId", job.id.toString());
        request.put("attempt", job.attempt);
        request.put("tenantId", Long.toString(job.tenantId));
        request.put("accountId", Long.toString(job.accountId));
        request.put("url", job.url);
        request.put("maxBytes", job.maxBytes);
        request.put("requestedAt", System.currentTimeMillis());
        outbox.publish(config.urlImport().requestsTopic(), job.id.toString(), request);
    }

    /** base64 (standard or URL-safe alphabet, padding optional) of an absolute http(s) URL. */
    String decodeUrl(String value) {
        if (value == null) {
            throw ApiException.missingParam("file_url_base64");
        }
        // A '+' sent unencoded in a query string arrives as a space.
        String text = value.replace(' ', '+');
        boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
        text = text.replaceAll("=+$", "");
        if (text.length() % 4 == 1) {
            throw ApiException.badRequest(BAD_BASE64);
        }
        String url;
        try {
            byte[] bytes = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
            url = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString().trim();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw ApiException.badRequest(BAD_BASE64);
        }
        if (url.isEmpty()) {
            throw ApiException.badRequest(BAD_BASE64);
        }
        if (url.length() > config.urlImport().maxUrlLength()) {
            throw ApiException.badRequest("The URL is longer than " + config.urlImport().maxUrlLength()
                    + " characters.");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiException.badRequest(NOT_A_URL);
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !uri.isAbsolute()) {
            throw ApiException.badRequest(NOT_A_URL);
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ApiException.badRequest(NOT_HTTP);
        }
        // java.net.URI leaves the host null for names RFC 2396 does not know (2130706433, 0x7f000001, 127.1) that
        // browsers and the worker's resolver accept: an authority is enough here, the worker checks the address.
        if (uri.getRawAuthority() == null || uri.getRawAuthority().isBlank()) {
            throw ApiException.badRequest(NOT_A_URL);
        }
        return url;
    }

    /** /file/url_upload_status: the caller's own job only; another account's id is "not found". */
    @Transactional
    public JobView status(Account account, String idParam) {
        Long id = ApiParams.parseId(idParam);
        UrlImportJob job = id == null ? null : UrlImportJob.findById(id);
        if (job == null || job.tenantId != account.tenantId() || job.accountId != account.accountId()) {
            throw ApiException.notFound(NOT_FOUND);
        }
        FileRecord file = job.fileId == null ? null : FileRecord.findById(job.fileId);
        return new JobView(job, file);
    }

    // ------------------------------------------------------------------------------------------- worker events

    /** One {@code file.url-import.events} value (internal-api.md); fields a type does not carry are null. */
    public record ImportEvent(String eventId, String jobId, Integer attempt, String type, Long downloadedBytes,
                              Long totalBytes, String objectKey, Long size, String md5, String sha256,
                              String filename, String contentType, String error, Long at) {
        public boolean isWellFormed() {
            return eventId != null && !eventId.isBlank() && jobId != null && type != null && attempt != null
                    && switch (type) {
                case "DOWNLOADING", "PROGRESS", "FAILED" -> true;
                case "COMPLETED" -> objectKey != null && size != null && size >= 0 && md5 != null
                        && md5.matches("[0-9a-f]{32}") && sha256 != null && sha256.matches("[0-9a-f]{64}");
                default -> false;
            };
        }

        Instant time() {
            return at == null ? Instant.now() : Instant.ofEpochMilli(at);
        }
    }

    /**
     * Inside the consumer's transaction (the event id is recorded in it): applies one event. Returns object keys to
     * delete once the transaction committed (a duplicate completion, a completion the quota refuses, dedup).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> apply(ImportEvent event) {
        List<String> deleteAfterCommit = new ArrayList<>();
        Long jobId = ApiParams.parseId(event.jobId());
        UrlImportJob peek = jobId == null ? null : UrlImportJob.findById(jobId);
        if (peek == null) {
            // Not ours (another deployment's test traffic, a wiped database): its object is left to the orphan sweep.
            LOG.debugf("Import event %s for unknown job %s ignored", event.eventId(), event.jobId());
            return deleteAfterCommit;
        }
        // Lock order as everywhere: the account's usage row, then the job.
        quotas.lock(peek.tenantId, peek.accountId);
        UrlImportJob job = UrlImportJob.findById(jobId, LockModeType.PESSIMISTIC_WRITE);
        entityManager.refresh(job);
        boolean current = event.attempt() == job.attempt;
        switch (event.type()) {
            case "DOWNLOADING", "PROGRESS" -> {
                if (job.open() && current) {
                    job.status = UrlImportJob.DOWNLOADING;
                    if (job.startedAt == null) {
                        job.startedAt = event.time();
                    }
                    job.downloadedSize = Math.max(0, event.downloadedBytes() == null ? 0 : event.downloadedBytes());
                    job.totalSize = event.totalBytes();
                    job.touchedAt = Instant.now();
                }
            }
            case "FAILED" -> {
                if (job.open() && current) {
                    fail(job, event.error() == null ? "The download failed." : event.error());
                }
            }
            case "COMPLETED" -> complete(job, event, deleteAfterCommit);
            default -> {
            }
        }
        return deleteAfterCommit;
    }

    /**
     * A completion of any attempt finishes an open job (a slow first attempt may beat its re-armed successor); a
     * completion of a finished job is a duplicate whose object goes — unless a record references that very object.
     */
    private void complete(UrlImportJob job, ImportEvent event, List<String> deleteAfterCommit) {
        String key = event.objectKey();
        if (!key.startsWith(job.tenantId + "/")) {
            LOG.warnf("Import event %s names object %s outside tenant %d: ignored", event.eventId(), key, job.tenantId);
            return;
        }
        if (!job.open()) {
            long referenced = ((Number) entityManager.createNativeQuery(
                    "select count(*) from stored_object where object_key = ?1").setParameter(1, key)
                    .getSingleResult()).longValue();
            if (referenced == 0) {
                deleteAfterCommit.add(key);
            }
            return;
        }
        PackageLimits limits = PackageLimits.fromClaim(Json.createReader(new StringReader(job.limits)).readObject());
        long size = event.size();
        if (size == 0) {
            fail(job, Uploader.ZERO);
            deleteAfterCommit.add(key);
            return;
        }
        if (limits.maxUploadSize() > 0 && size > limits.maxUploadSize()) {
            rejections.count(LimitRejections.MAX_UPLOAD_SIZE);
            fail(job, Uploader.maxSizeMessage(limits.maxUploadSize()));
            deleteAfterCommit.add(key);
            return;
        }
        if (!quotas.charge(job.tenantId, job.accountId, size, limits.effectiveStorageLimit())) {
            rejections.count(LimitRejections.STORAGE);
            fail(job, Quotas.STORAGE_FULL);
            deleteAfterCommit.add(key);
            return;
        }
        Account owner = new Account(job.tenantId, job.accountId, limits, null, job.clientIp, false);
        String name = FileNames.clean(event.filename());
        if (name == null || name.isBlank()) {
            name = "file";
        }
        FileService.NewRecord created = files.insertRecord(owner,
                new FileService.Content(key, size, event.md5(), event.sha256()), name, job.folderId, "remote");
        if (created.redundantKey() != null) {
            deleteAfterCommit.add(created.redundantKey());
        }
        job.status = UrlImportJob.COMPLETE;
        job.fileId = created.file().id;
        job.downloadedSize = size;
        job.totalSize = size;
        if (job.startedAt == null) {
            job.startedAt = event.time();
        }
        job.finishedAt = Instant.now();
        job.touchedAt = job.finishedAt;
        job.error = null;
        finished("complete");
    }

    private void fail(UrlImportJob job, String error) {
        finished("failed");
        job.status = UrlImportJob.FAILED;
        job.error = error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error;
        job.finishedAt = Instant.now();
        job.touchedAt = job.finishedAt;
    }

    /** Deletes objects a committed event handling let go of. */
    public void deleteObjects(List<String> keys) {
        keys.forEach(uploader::deleteQuietly);
    }

    // ------------------------------------------------------------------------------------------- stuck jobs

    /**
     * A {@code downloading} job silent for {@code stuck-after} lost its worker: it gets the next attempt (a new
     * request through the outbox), or fails once the attempts are used up. Rows are claimed with SKIP LOCKED so
     * replicas share the work. A {@code pending} job is never re-armed: its request waits in the outbox or in Kafka
     * (offsets are committed only after a worker finished), so it is not lost while no worker runs.
     */
    @Scheduled(every = "${filehost.files.url-import.rearm-interval:30s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void rearmScheduled() {
        rearmStuck();
    }

    public int rearmStuck() {
        Instant silentSince = Instant.now().minus(config.urlImport().stuckAfter());
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Number> ids = entityManager.createNativeQuery("select id from url_import_job where status = "
                            + "'downloading' and touched_at < ?1 order by id limit 100 for update skip locked")
                    .setParameter(1, silentSince).getResultList();
            for (Number id : ids) {
                UrlImportJob job = UrlImportJob.findById(id.longValue());
                if (job.attempt >= config.urlImport().maxAttempts()) {
                    fail(job, GAVE_UP.formatted(job.attempt));
                    LOG.infof("Import job %d failed after %d silent attempts", job.id, job.attempt);
                    continue;
                }
                job.attempt++;
                job.status = UrlImportJob.PENDING;
                job.downloadedSize = 0;
                job.touchedAt = Instant.now();
                requestFetch(job);
                LOG.infof("Import job %d re-armed (attempt %d): its worker went silent", job.id, job.attempt);
            }
            return ids.size();
        });
    }
}
