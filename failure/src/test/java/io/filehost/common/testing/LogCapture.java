package io.filehost.common.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what is logged in this JVM (the JBoss LogManager of a @QuarkusTest is a java.util.logging manager), so a
 * test can assert the level and the absence of a stack trace. Install with {@link #start()}, remove with {@link #close()}.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");

    private LogCapture() {
        setLevel(Level.ALL);
    }

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        capture.root.addHandler(capture);
        return capture;
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    /** Records at exactly this level (JBoss' WARN is JUL WARNING, ERROR is SEVERE, DEBUG is FINE). */
    public List<LogRecord> at(Level level) {
        return records.stream().filter(r -> r.getLevel().intValue() == level.intValue()).toList();
    }

    public List<LogRecord> atOrAbove(Level level) {
        return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue()).toList();
    }

    public static String text(LogRecord record) {
        String message = record.getMessage();
        Object[] params = record.getParameters();
        if (params != null && params.length > 0 && message != null && message.contains("%")) {
            try {
                return String.format(message, params);
            } catch (RuntimeException ignored) {
                // Not a printf pattern: the raw message will do.
            }
        }
        return message;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
    }
}
