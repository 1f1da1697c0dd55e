package io.filehost.storage;

import com.google.common.collect.HashMultimap;
import com.google.common.collect.Multimap;
import io.minio.MinioAsyncClient;
import io.minio.ObjectWriteResponse;
import io.minio.PutObjectArgs;
import io.minio.UploadPartResponse;
import io.minio.messages.Part;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Streams an object of unknown length into S3 with the reading and the uploading overlapped.
 * <p>
 * The caller's thread reads the source into part buffers (so whatever the source does on the way, hashing, counting,
 * limits, happens in that thread, in order, exactly once). A full buffer is handed to an upload thread, which hands it
 * to the MinIO client's own multipart calls ({@code uploadPartAsync}), while the caller goes on reading the next part.
 * By default a part is sent unsigned, straight from its buffer ({@link PartUploadClient}); with
 * {@link StorageConfig.Upload#unsignedPayload()} off the stock client copies and hashes it for SigV4, in the upload
 * thread, not in the reading one. At most
 * {@link StorageConfig.Upload#partsInFlight()} parts of one object and {@link StorageConfig.Upload#partsInFlightTotal()}
 * parts of all objects are uploading at once, so one object holds at most {@code (partsInFlight + 1)} part buffers of
 * its own (plus the MinIO client's copy of each part in flight).
 * <p>
 * An optional {@link Observer} (hashing) sees every byte of the object, in order, once: for a multipart object in an
 * upload thread, one part after the other, while the caller reads the next part (the reading thread is what bounds a
 * streamed upload's throughput); a part's buffer is reused, and its in-flight permit returned, only once it is both
 * uploaded and observed, so the memory bound stays the same. {@code write} returns after the observer has seen
 * everything.
 * <p>
 * An object smaller than one part is a single PUT. On any failure (the source throws, which is also how a source
 * enforces a limit, a part or the completion fails, the thread is interrupted) the parts in flight are waited for and
 * the multipart upload is aborted, so nothing is left behind, and the source's own exception is rethrown.
 */
@ApplicationScoped
public class ObjectWriter {
    private static final Logger LOG = Logger.getLogger(ObjectWriter.class);
    /** Reads are capped so a source that enforces a limit per read sees the bytes in small steps. */
    private static final int MAX_READ = 64 * 1024;
    /** S3's minimum part size (except the last part). */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    private static final int FIRST_BUFFER = 64 * 1024;

    @Inject
    MinioAsyncClient s3;

    @Inject
    StorageConfig config;

    @Inject
    S3Cleanup cleanup;

    @Inject
    PartBuffers buffers;

    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService uploads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "s3-part-upload-" + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private Semaphore totalInFlight;
    private boolean unsigned;
    /** Part uploads only: {@link PartUploadClient} when parts go unsigned, else the stock client. */
    private MinioAsyncClient partClient;

    /** What S3 now holds under {@code key}. */
    public record Written(String key, long size, String etag, int parts) {
    }

    /** Sees the object's bytes in order, {@code bytes[0..length)} per call, one call at a time. */
    @FunctionalInterface
    public interface Observer {
        void accept(byte[] bytes, int length);
    }

    /** Writes {@code source} (read to its end, not closed) to {@code key} of the configured bucket. */
    public Written write(String key, String contentType, InputStream source, int partSize) throws IOException {
        return write(key, contentType, source, partSize, null);
    }

    /**
     * Writes {@code source} (read to its end, not closed) to {@code key} of the configured bucket; {@code observer}
     * (may be null) sees every byte once, in order, off the reading thread for multipart objects.
     */
    public Written write(String key, String contentType, InputStream source, int partSize, Observer observer)
            throws IOException {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("part size " + partSize + " is below S3's minimum " + MIN_PART_SIZE);
        }
        // The first buffer grows with what arrives: a small object does not cost a whole part of memory.
        byte[] first = new byte[Math.min(FIRST_BUFFER, partSize)];
        int n = fill(source, first, 0);
        while (n == first.length && n < partSize) {
            int grown = (int) Math.min(2L * first.length, partSize);
            byte[] next = grown == partSize ? buffers.take(partSize) : new byte[grown];
            System.arraycopy(first, 0, next, 0, n);
            first = next;
            n = fill(source, first, n);
        }
        if (n < partSize) {
            try {
                if (observer != null) {
                    observer.accept(first, n);
                }
                return putSingle(key, contentType, first, n);
            } finally {
                if (first.length == partSize) {
                    buffers.give(first);
                }
            }
        }
        return new Multipart(key, contentType, partSize, observer).run(source, first);
    }

    private Written putSingle(String key, String contentType, byte[] bytes, int length) throws IOException {
        try {
            ObjectWriteResponse response = s3.putObject(PutObjectArgs.builder().bucket(config.bucket()).object(key)
                    .stream(new ByteArrayInputStream(bytes, 0, length), length, -1).contentType(contentType)
                    .build()).get();
            return new Written(key, length, response.etag(), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while storing " + key);
        } catch (Exception e) {
            throw new IOException("S3 PUT of " + key + " failed", unwrap(e));
        }
    }

    /** Reads until the buffer is full or the source ends; returns the bytes read. */
    private static int fill(InputStream source, byte[] buffer) throws IOException {
        return fill(source, buffer, 0);
    }

    /** Reads from {@code buffer[from]} until the buffer is full or the source ends; returns the buffer's length. */
    private static int fill(InputStream source, byte[] buffer, int from) throws IOException {
        int length = from;
        while (length < buffer.length) {
            int n = source.read(buffer, length, Math.min(MAX_READ, buffer.length - length));
            if (n < 0) {
                break;
            }
            length += n;
        }
        return length;
    }

    /** One multipart upload: the reading side runs in the caller's thread, the parts in {@link #uploads}. */
    private final class Multipart {
        final String key;
        final String contentType;
        final int partSize;
        final Observer observer;
        final Semaphore inFlight;
        final Semaphore total = totalInFlight;
        final ArrayDeque<byte[]> free = new ArrayDeque<>();
        final List<Part> done = new ArrayList<>();
        final List<CompletableFuture<?>> pending = new ArrayList<>();
        volatile Throwable partFailure;
        /** The observer's chain: each part is observed after the previous one. */
        CompletableFuture<Void> observed = CompletableFuture.completedFuture(null);
        String uploadId;
        long size;

        Multipart(String key, String contentType, int partSize, Observer observer) {
            this.key = key;
            this.contentType = contentType;
            this.partSize = partSize;
            this.observer = observer;
            this.inFlight = new Semaphore(Math.max(1, config.upload().partsInFlight()));
        }

        Written run(InputStream source, byte[] first) throws IOException {
            try {
                Multimap<String, String> headers = HashMultimap.create();
                headers.put("Content-Type", contentType);
                uploadId = s3.createMultipartUploadAsync(config.bucket(), null, key, headers, null).get()
                        .result().uploadId();
                int partNumber = 1;
                byte[] buffer = first;
                int length = first.length;
                while (true) {
                    submit(partNumber++, buffer, length);
                    if (length < partSize) {
                        break; // the source ended inside this part
                    }
                    buffer = nextBuffer();
                    length = fillPart(source, buffer);
                    if (length == 0) {
                        release(buffer);
                        break; // the source ended exactly at a part boundary
                    }
                }
                if (awaitAll()) {
                    throw new InterruptedException();
                }
                if (partFailure != null) {
                    throw new IOException("S3 part upload of " + key + " failed", partFailure);
                }
                Part[] ordered;
                synchronized (done) {
                    ordered = done.stream().sorted(Comparator.comparingInt(Part::partNumber)).toArray(Part[]::new);
                }
                ObjectWriteResponse completed = s3.completeMultipartUploadAsync(config.bucket(), null, key, uploadId,
                        ordered, null, null).get();
                return new Written(key, size, completed.etag(), ordered.length);
            } catch (IOException | RuntimeException | Error e) {
                abort(); // the source's own failure (or a limit it enforces), or ours above
                throw e;
            } catch (InterruptedException e) {
                abort();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while storing " + key);
            } catch (Exception e) {
                abort();
                throw new IOException("S3 multipart upload of " + key + " failed", unwrap(e));
            } finally {
                // every part has settled (awaitAll, also on the failure paths): its buffer is back in free
                synchronized (free) {
                    free.forEach(buffers::give);
                    free.clear();
                }
            }
        }

        /**
         * Like {@link ObjectWriter#fill}, but a part that failed meanwhile stops the reading at once: the upload's
         * outcome is known, and the source (a client still sending) should hear it now, not a part later.
         */
        private int fillPart(InputStream source, byte[] buffer) throws IOException {
            int length = 0;
            while (length < buffer.length) {
                failFast();
                int n = source.read(buffer, length, Math.min(MAX_READ, buffer.length - length));
                if (n < 0) {
                    break;
                }
                length += n;
            }
            return length;
        }

        /** A buffer for the next part: a settled part's, or a new one (at most partsInFlight + 1 in all). */
        private byte[] nextBuffer() throws IOException, InterruptedException {
            failFast();
            byte[] buffer;
            synchronized (free) {
                buffer = free.poll();
            }
            return buffer != null ? buffer : buffers.take(partSize);
        }

        private void release(byte[] buffer) {
            synchronized (free) {
                free.push(buffer);
            }
        }

        /** Waits while this upload (or all uploads) have their maximum in flight, then hands the part over. */
        private void submit(int partNumber, byte[] buffer, int length) throws IOException, InterruptedException {
            failFast();
            inFlight.acquire();
            try {
                total.acquire();
            } catch (InterruptedException e) {
                inFlight.release();
                throw e;
            }
            size += length;
            CompletableFuture<UploadPartResponse> upload = CompletableFuture.supplyAsync(() -> {
                try {
                    // Unsigned: the buffer itself is the request body. Signed: the stock client copies the part
                    // and hashes it for SigV4 here, in an upload thread, not in the reading one.
                    Object data = unsigned ? buffer : new ByteArrayInputStream(buffer, 0, length);
                    return partClient.uploadPartAsync(config.bucket(), null, key, data, length, uploadId, partNumber,
                            null, null);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, uploads).thenCompose(f -> f);
            CompletableFuture<Void> uploaded = upload.handle((response, failure) -> {
                if (failure != null) {
                    if (partFailure == null) {
                        partFailure = unwrap(failure);
                    }
                } else {
                    synchronized (done) {
                        done.add(new Part(partNumber, response.etag()));
                    }
                }
                return null;
            });
            CompletableFuture<Void> seen = CompletableFuture.completedFuture(null);
            if (observer != null) {
                // Chained: part n is observed after part n - 1, in an upload thread, while this thread reads on.
                observed = observed.thenRunAsync(() -> observer.accept(buffer, length), uploads)
                        .exceptionally(failure -> {
                            if (partFailure == null) {
                                partFailure = unwrap(failure);
                            }
                            return null;
                        });
                seen = observed;
            }
            CompletableFuture<?> settled = uploaded.thenCombine(seen, (a, b) -> null).handle((v, failure) -> {
                release(buffer);
                total.release();
                inFlight.release();
                return null;
            });
            synchronized (pending) {
                pending.add(settled);
            }
            failFast();
        }

        private void failFast() throws IOException {
            Throwable failure = partFailure;
            if (failure != null) {
                throw new IOException("S3 part upload of " + key + " failed", failure);
            }
        }

        /**
         * Waits for every part in flight to settle (they cannot be cancelled; an abort must come after them). Returns
         * whether the thread was interrupted meanwhile (the flag is left clear, so the abort can still be sent).
         */
        private boolean awaitAll() {
            List<CompletableFuture<?>> all;
            synchronized (pending) {
                all = new ArrayList<>(pending);
            }
            boolean interrupted = Thread.interrupted();
            for (CompletableFuture<?> f : all) {
                while (true) {
                    try {
                        f.get();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException e) {
                        break;
                    }
                }
            }
            return interrupted;
        }

        private void abort() {
            boolean interrupted = awaitAll();
            try {
                if (uploadId == null) {
                    return;
                }
                CompletableFuture<?> abort = s3.abortMultipartUploadAsync(config.bucket(), null, key, uploadId, null,
                        null);
                while (true) {
                    try {
                        abort.get();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } catch (Exception e) {
                LOG.warnf("Could not abort multipart upload %s of %s (%s); retrying until S3 takes it", uploadId, key,
                        unwrap(e).toString());
                cleanup.abortLater(key, uploadId);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @PostConstruct
    void init() {
        totalInFlight = new Semaphore(Math.max(1, config.upload().partsInFlightTotal()));
        unsigned = config.upload().unsignedPayload();
        partClient = unsigned ? new PartUploadClient(s3) : s3;
    }

    /** The failure inside a future's wrappers. */
    static Throwable unwrap(Throwable e) {
        while ((e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    @PreDestroy
    void shutdown() {
        uploads.shutdownNow();
    }
}
