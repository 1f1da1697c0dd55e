package io.filehost.gateway.multipart;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.WriteStream;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The raw bytes of an upload received before its credentials were known, so they can be replayed to file-service
 * once the caller is authenticated. The first bytes stay in memory (enough for the usual case: the small credential
 * fields come first); past that bound everything moves to a temp file in the spool directory, and the whole
 * recording is refused beyond {@code maxBytes}. Memory use therefore stays bounded whatever the file size.
 *
 * <p>Not thread-safe: used from the request's event-loop context only. The caller must stop feeding (pause the
 * request) while the future returned by {@link #append} is pending.
 */
public final class UploadRecording {
    private static final Logger LOG = Logger.getLogger(UploadRecording.class);
    private static final OpenOptions SPOOL_WRITE = new OpenOptions()
            .setCreateNew(true).setWrite(true).setRead(false).setPerms("rw-------");
    private static final OpenOptions SPOOL_READ = new OpenOptions()
            .setCreate(false).setWrite(false).setRead(true);

    private final Vertx vertx;
    private final Path spoolDir;
    private final int memoryLimit;
    private final long maxBytes;

    /**
     * The chunks as received, kept rather than copied into one buffer: a request's chunks are fresh buffers Vert.x
     * never reuses, so holding on to them costs no copy.
     */
    private List<Buffer> memory = new ArrayList<>();
    private int memoryBytes;
    private long size;
    private Path path;
    private AsyncFile file;
    private Future<Void> opening;
    private Future<Void> lastWrite = Future.succeededFuture();
    private Promise<Void> drain;
    private Throwable failure;
    private boolean discarded;

    public UploadRecording(Vertx vertx, Path spoolDir, int memoryLimit, long maxBytes) {
        this.vertx = vertx;
        this.spoolDir = spoolDir;
        this.memoryLimit = memoryLimit;
        this.maxBytes = maxBytes;
    }

    /**
     * Records a chunk. The returned future is complete at once in the common case; otherwise (spool file being
     * opened, file write queue full) it completes when the caller may feed again, or fails.
     */
    public Future<Void> append(Buffer chunk) {
        if (failure != null) {
            return Future.failedFuture(failure);
        }
        size += chunk.length();
        if (size > maxBytes) {
            return Future.failedFuture(new SpoolLimitExceededException(maxBytes));
        }
        if (file == null) {
            memory.add(chunk);
            memoryBytes += chunk.length();
            if (opening != null) {
                return opening;
            }
            if (memoryBytes <= memoryLimit) {
                return Future.succeededFuture();
            }
            opening = openSpool();
            return opening;
        }
        return write(chunk);
    }

    public boolean spooled() {
        return path != null;
    }

    /** Completes when every recorded byte is in place for {@link #replayTo}. */
    public Future<Void> finish() {
        if (failure != null) {
            return Future.failedFuture(failure);
        }
        if (opening == null) {
            return Future.succeededFuture();
        }
        return opening.compose(v -> lastWrite).compose(v -> {
            AsyncFile written = file;
            file = null;
            return written == null ? Future.<Void>succeededFuture() : written.close();
        });
    }

    /**
     * Writes the recording to {@code target} without ending it, with back-pressure. Call after {@link #finish}.
     */
    public Future<Void> replayTo(WriteStream<Buffer> target) {
        if (path == null) {
            Future<Void> written = Future.succeededFuture();
            for (Buffer chunk : takeMemory()) {
                written = target.write(chunk);
            }
            return written;
        }
        return vertx.fileSystem().open(path.toString(), SPOOL_READ).compose(read -> {
            read.setReadBufferSize(64 * 1024);
            return read.pipe().endOnSuccess(false).endOnFailure(false).to(target)
                    .eventually(() -> read.close());
        });
    }

    /** Releases the memory and deletes the spool file. Safe to call more than once and at any point. */
    public void discard() {
        if (discarded) {
            return;
        }
        discarded = true;
        memory = null;
        AsyncFile open = file;
        file = null;
        Future<Void> closed = open == null ? Future.succeededFuture() : open.close().recover(e -> Future.succeededFuture());
        if (opening != null) {
            closed = opening.recover(e -> Future.succeededFuture()).compose(v -> {
                // The file may have been opened after discard() was called.
                AsyncFile late = file;
                file = null;
                return late == null ? Future.succeededFuture() : late.close().recover(e -> Future.succeededFuture());
            }).compose(v -> Future.succeededFuture());
        }
        closed.onComplete(v -> deleteFile());
    }

    private void deleteFile() {
        Path toDelete = path;
        if (toDelete == null) {
            return;
        }
        vertx.fileSystem().delete(toDelete.toString()).onFailure(e -> vertx.fileSystem().exists(toDelete.toString())
                .onSuccess(exists -> {
                    if (exists) {
                        LOG.warnf("Could not delete spool file %s: %s", toDelete, e.toString());
                    }
                }));
    }

    private Future<Void> openSpool() {
        path = spoolDir.resolve("upload-" + UUID.randomUUID() + ".part");
        return vertx.fileSystem().open(path.toString(), SPOOL_WRITE).compose(opened -> {
            if (discarded) {
                return opened.close();
            }
            file = opened;
            file.exceptionHandler(this::fail);
            Future<Void> written = Future.succeededFuture();
            for (Buffer chunk : takeMemory()) {
                written = write(chunk);
            }
            return written;
        }, e -> {
            fail(e);
            return Future.failedFuture(e);
        });
    }

    private List<Buffer> takeMemory() {
        List<Buffer> chunks = memory;
        memory = new ArrayList<>();
        memoryBytes = 0;
        return chunks;
    }

    private Future<Void> write(Buffer chunk) {
        lastWrite = file.write(chunk);
        lastWrite.onFailure(this::fail);
        if (!file.writeQueueFull()) {
            return Future.succeededFuture();
        }
        Promise<Void> promise = Promise.promise();
        drain = promise;
        file.drainHandler(v -> {
            drain = null;
            promise.tryComplete();
        });
        return promise.future();
    }

    private void fail(Throwable e) {
        if (failure == null) {
            failure = e;
        }
        if (drain != null) {
            drain.tryFail(e);
            drain = null;
        }
    }
}
