package io.filehost.fileservice.support;

import org.jboss.logmanager.ExtLogRecord;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Everything the service logs (root category) while attached: to assert what a request logged, and at what level. */
public final class LogCapture extends Handler {
    public record Line(Level level, String category, String message, Throwable thrown) {
        @Override
        public String toString() {
            return level + " [" + category + "] " + message + (thrown == null ? "" : " " + thrown);
        }
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    public static LogCapture attach() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    public void detach() {
        Logger.getLogger("").removeHandler(this);
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** Lines at WARN or above, or with a stack trace. */
    public List<Line> warningsOrTraces() {
        return lines.stream().filter(l -> l.level().intValue() >= Level.WARNING.intValue() || l.thrown() != null)
                .toList();
    }

    @Override
    public void publish(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        lines.add(new Line(record.getLevel(), record.getLoggerName(), message, record.getThrown()));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
