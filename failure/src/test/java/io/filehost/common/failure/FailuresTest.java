package io.filehost.common.failure;

import io.filehost.common.testing.LogCapture;
import org.junit.jupiter.api.Test;

import javax.transaction.xa.XAException;
import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailuresTest {
    private final FailureLog log = new FailureLog(List.of());

    /** An exception as if thrown inside {@code className} (the classifier reads the stack to name the dependency). */
    private static <T extends Throwable> T thrownIn(T failure, String className) {
        failure.setStackTrace(new StackTraceElement[]{new StackTraceElement(className, "call", null, 1),
                new StackTraceElement("io.filehost.fileservice.rest.PublicResource", "get", null, 1)});
        return failure;
    }

    @Test
    void databaseFailuresAreOutagesThroughTheirWrappers() {
        SQLException refused = new SQLException("Connection to 127.0.0.1:1 refused", "08001",
                new ConnectException("Connection refused"));
        assertEquals(new Failure.Outage(Failures.DATABASE, Failures.describe(refused)),
                log.classify(refused));
        assertOutage(Failures.DATABASE, new RuntimeException("could not execute statement", refused));
        assertOutage(Failures.DATABASE, new IllegalStateException(new SQLTransientConnectionException("pool")));
        assertOutage(Failures.DATABASE, new RuntimeException("commit", new XAException(XAException.XAER_RMFAIL)));
        assertOutage(Failures.DATABASE, new SQLException("terminating connection due to administrator command", "57P01"));
        assertOutage(Failures.DATABASE, new SQLException("Sorry, acquisition timeout!"));
        assertOutage(Failures.DATABASE, thrownIn(new ConnectException("Connection refused"), "org.postgresql.Driver"));
    }

    @Test
    void networkFailuresNameTheDependencyFromTheStack() {
        assertOutage(Failures.S3, new IOException("reading the object from S3 failed",
                thrownIn(new ConnectException("Failed to connect to /127.0.0.1:1"), "okhttp3.internal.RealCall")));
        assertOutage(Failures.KAFKA, thrownIn(new java.net.SocketTimeoutException("t"), "org.apache.kafka.X"));
        assertOutage(Failures.SERVICE, thrownIn(new ConnectException("refused"),
                "org.jboss.resteasy.reactive.client.impl.InvocationState"));
        assertOutage(Failures.SERVICE,
                new org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException("open"));
    }

    @Test
    void aClientThatWentAwayIsNotAnError() {
        // What Quarkus' response stream throws when the client hangs up while a download waits for the connection.
        IOException write = thrownIn(new IOException("Failed to write", thrownIn(
                new IOException("Connection has been closed"), "io.quarkus.vertx.utils.VertxOutputStream")),
                "io.quarkus.vertx.utils.VertxOutputStream");
        assertInstanceOf(Failure.ClientGone.class, log.classify(write));
        assertInstanceOf(Failure.ClientGone.class, log.classify(new IOException("Connection reset by peer")));
    }

    @Test
    void everythingElseIsABug() {
        assertInstanceOf(Failure.Bug.class, log.classify(new NullPointerException()));
        assertInstanceOf(Failure.Bug.class, log.classify(new SQLException("syntax error", "42601")));
        assertInstanceOf(Failure.Bug.class, log.classify(new IllegalStateException("broken invariant")));
    }

    @Test
    void moduleRulesRecogniseTheirOwnTypes() {
        OutageRule rule = failure -> failure instanceof UnsupportedOperationException ? "S3" : null;
        assertEquals("S3", ((Failure.Outage) new FailureLog(List.of(rule))
                .classify(new RuntimeException(new UnsupportedOperationException()))).dependency());
    }

    @Test
    void anOutageIsOneWarningPerWindowWithoutAStackTraceAndABugIsAnError() {
        FailureLog fresh = new FailureLog(List.of());
        SQLException down = new SQLException("Connection refused", "08001");
        try (LogCapture capture = LogCapture.start()) {
            for (int i = 0; i < 20; i++) {
                fresh.report(down, "GET /x (request id r" + i + ")");
            }
            fresh.report(new NullPointerException("bug"), "GET /y (request id b)");
            fresh.report(new IOException("Broken pipe"), "GET /z (request id c)");

            List<java.util.logging.LogRecord> warnings = capture.at(Level.WARNING).stream()
                    .filter(r -> FailureLog.class.getName().equals(r.getLoggerName())).toList();
            assertEquals(1, warnings.size(), "one line per outage window");
            assertNull(warnings.get(0).getThrown(), "no stack trace for an outage");
            assertTrue(LogCapture.text(warnings.get(0)).contains("database unavailable"), LogCapture.text(warnings.get(0)));
            List<java.util.logging.LogRecord> errors = capture.at(Level.SEVERE).stream()
                    .filter(r -> FailureLog.class.getName().equals(r.getLoggerName())).toList();
            assertEquals(1, errors.size());
            assertNotNull(errors.get(0).getThrown(), "a bug keeps its stack trace");
        }
    }

    private void assertOutage(String dependency, Throwable failure) {
        Failure kind = log.classify(failure);
        assertInstanceOf(Failure.Outage.class, kind, failure.toString());
        assertEquals(dependency, ((Failure.Outage) kind).dependency(), failure.toString());
    }
}
