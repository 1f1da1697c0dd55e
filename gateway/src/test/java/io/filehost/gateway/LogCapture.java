package io.filehost.gateway;

import org.jboss.logmanager.ExtLogRecord;

import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/** A log handler for tests: hands each record to {@code sink} (attach it to a category, detach it after the test). */
final class LogCapture extends Handler {
    private final Consumer<LogRecord> sink;

    LogCapture(Consumer<LogRecord> sink) {
        this.sink = sink;
    }

    /** The record's message with its parameters filled in. */
    static String text(LogRecord record) {
        return record instanceof ExtLogRecord ext ? ext.getFormattedMessage()
                : record.getParameters() == null ? record.getMessage()
                : String.format(record.getMessage(), record.getParameters());
    }

    @Override
    public void publish(LogRecord record) {
        sink.accept(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
