package io.filehost.common.failure;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Classifies a failure ({@link Failures}) and logs it the way its kind deserves: an outage once per dependency per
 * {@link #WINDOW} at WARN, one line, no stack trace, with the number of failures suppressed since the last line (an
 * outage of a minute under load is a handful of lines, not thousands of traces); a client that went away at DEBUG; a
 * bug at ERROR with its stack trace.
 */
@ApplicationScoped
public class FailureLog {
    static final Duration WINDOW = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(FailureLog.class);

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final List<OutageRule> rules;

    @Inject
    public FailureLog(@Any Instance<OutageRule> rules) {
        this(rules.stream().toList());
    }

    public FailureLog(List<OutageRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public Failure classify(Throwable failure) {
        return Failures.classify(failure, rules);
    }

    /**
     * Classifies and logs {@code failure}; {@code context} says what was being done (e.g. "POST /file/upload (request
     * id 42)").
     */
    public Failure report(Throwable failure, String context) {
        Failure kind = classify(failure);
        switch (kind) {
            case Failure.Outage outage -> outage(outage, context);
            case Failure.ClientGone gone -> LOG.debugf("%s: the client went away (%s)", context, gone.reason());
            case Failure.Bug bug -> LOG.errorf(failure, "Unhandled error on %s", context);
        }
        return kind;
    }

    private void outage(Failure.Outage outage, String context) {
        long suppressed = windows.computeIfAbsent(outage.dependency(), d -> new Window()).admit(System.nanoTime());
        if (suppressed < 0) {
            LOG.debugf("%s: %s unavailable (%s)", context, outage.dependency(), outage.reason());
            return;
        }
        LOG.warnf("%s unavailable, answering 503: %s on %s%s", outage.dependency(), outage.reason(), context,
                suppressed == 0 ? "" : " (" + suppressed + " more in the last " + WINDOW.toSeconds() + " s not logged)");
    }

    /** Admits one line per window; counts the rest. */
    private static final class Window {
        private long next = Long.MIN_VALUE;
        private long suppressed;

        /** -1: stay silent; otherwise log, mentioning this many failures suppressed since the previous line. */
        synchronized long admit(long now) {
            if (next != Long.MIN_VALUE && now - next < 0) {
                suppressed++;
                return -1;
            }
            long count = suppressed;
            suppressed = 0;
            next = now + WINDOW.toNanos();
            return count;
        }
    }
}
