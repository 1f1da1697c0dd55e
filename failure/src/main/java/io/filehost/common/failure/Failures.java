package io.filehost.common.failure;

import jakarta.ws.rs.WebApplicationException;

import javax.transaction.xa.XAException;
import java.io.EOFException;
import java.io.IOException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Tells a dependency outage from a client that went away and from a bug, by looking at the whole cause chain (the
 * exceptions that reach a resource are wrapped: Hibernate around Agroal around the JDBC driver around a
 * {@code ConnectException}; an {@code IOException} of ours around the S3 client's). The one place where this is
 * decided, so every service answers and logs an outage the same way (design.md "Failure answers").
 * <p>
 * Without compile-time dependencies on the drivers: JDBC and network failures are JDK types; the dependency a network
 * failure belongs to is read from the stack frames (the S3 client's, the Kafka client's, the JDBC driver's or the REST
 * client's classes were on the stack when it was thrown); modules add rules for their own types ({@link OutageRule}).
 */
public final class Failures {
    public static final String DATABASE = "database";
    public static final String S3 = "S3";
    public static final String KAFKA = "Kafka";
    public static final String SERVICE = "downstream service";

    /** SQLSTATEs of a database that is unreachable, restarting or refusing connections (PostgreSQL appendix A). */
    private static final Set<String> DATABASE_DOWN_STATES = Set.of("57P01", "57P02", "57P03", "53300");

    /** Frames that write the response to, or read the request from, the client's connection. */
    private static final List<String> CLIENT_IO_FRAMES = List.of("VertxOutputStream", "ResteasyReactiveOutputStream",
            "VertxInputStream", "VertxBlockingInput", "io.vertx.core.http.impl.Http1xServer",
            "io.vertx.core.http.impl.Http2Server");

    /** Package prefixes of dependency clients, in the order they are looked for on the stack. */
    private static final Map<String, List<String>> DEPENDENCY_FRAMES = Map.of(
            S3, List.of("io.minio.", "okhttp3."),
            KAFKA, List.of("org.apache.kafka."),
            DATABASE, List.of("org.postgresql.", "io.agroal.", "org.hibernate.", "com.arjuna."),
            SERVICE, List.of("org.jboss.resteasy.reactive.client.", "io.quarkus.rest.client.", "io.smallrye.faulttolerance."));
    private static final List<String> DEPENDENCY_ORDER = List.of(S3, KAFKA, DATABASE, SERVICE);

    private static final List<String> CLIENT_GONE_MESSAGES = List.of("failed to write", "connection reset",
            "broken pipe", "connection was closed", "connection has been closed", "stream is closed", "closed channel");

    private Failures() {
    }

    public static Failure classify(Throwable failure, Iterable<? extends OutageRule> rules) {
        List<Throwable> chain = chain(failure);
        for (Throwable t : chain) {
            for (OutageRule rule : rules) {
                String dependency = rule.dependencyDown(t);
                if (dependency != null) {
                    return new Failure.Outage(dependency, describe(t));
                }
            }
        }
        for (Throwable t : chain) {
            if (databaseDown(t)) {
                return new Failure.Outage(DATABASE, describe(t));
            }
            if (serviceDown(t)) {
                return new Failure.Outage(SERVICE, describe(t));
            }
        }
        for (Throwable t : chain) {
            if (network(t)) {
                if (onStack(chain, CLIENT_IO_FRAMES)) {
                    return new Failure.ClientGone(describe(t));
                }
                for (String dependency : DEPENDENCY_ORDER) {
                    if (onStack(chain, DEPENDENCY_FRAMES.get(dependency))) {
                        return new Failure.Outage(dependency, describe(t));
                    }
                }
                return new Failure.ClientGone(describe(t));
            }
        }
        return new Failure.Bug();
    }

    private static boolean databaseDown(Throwable t) {
        if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                || t instanceof SQLRecoverableException || t instanceof XAException) {
            return true;
        }
        if (t instanceof SQLException sql) {
            String state = sql.getSQLState();
            if (state != null && (state.startsWith("08") || DATABASE_DOWN_STATES.contains(state))) {
                return true;
            }
            // Agroal's pool gives up waiting for a connection (the database does not accept new ones).
            return contains(sql.getMessage(), "acquisition timeout");
        }
        return isA(t, "org.hibernate.exception.JDBCConnectionException");
    }

    /** A fault-tolerance guard gave up (timeout, open breaker, full bulkhead) or a REST client got a 5xx. */
    private static boolean serviceDown(Throwable t) {
        if (t.getClass().getName().startsWith("org.eclipse.microprofile.faulttolerance.exceptions.")) {
            return true;
        }
        return t instanceof WebApplicationException web && t.getClass().getName().contains("Client")
                && web.getResponse() != null && web.getResponse().getStatus() >= 500;
    }

    private static boolean network(Throwable t) {
        if (t instanceof SocketException || t instanceof SocketTimeoutException || t instanceof UnknownHostException
                || t instanceof NoRouteToHostException || t instanceof ClosedChannelException
                || t instanceof EOFException || isA(t, "io.vertx.core.http.HttpClosedException")) {
            return true;
        }
        boolean io = t instanceof IOException || isA(t, "io.vertx.core.VertxException");
        if (!io) {
            return false;
        }
        for (String message : CLIENT_GONE_MESSAGES) {
            if (contains(t.getMessage(), message)) {
                return true;
            }
        }
        return false;
    }

    private static boolean onStack(List<Throwable> chain, List<String> prefixes) {
        for (Throwable t : chain) {
            for (StackTraceElement frame : t.getStackTrace()) {
                for (String prefix : prefixes) {
                    if (frame.getClassName().startsWith(prefix) || (!prefix.endsWith(".")
                            && frame.getClassName().contains(prefix))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean isA(Throwable t, String className) {
        for (Class<?> type = t.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals(className)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(String text, String part) {
        return text != null && text.toLowerCase(Locale.ROOT).contains(part);
    }

    static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null && chain.size() < 32;
             t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /** One line for the log: the outermost exception and the innermost cause, without a stack trace. */
    public static String describe(Throwable failure) {
        List<Throwable> chain = chain(failure);
        Throwable root = chain.get(chain.size() - 1);
        return root == failure ? failure.toString() : failure + " (cause: " + root + ")";
    }
}
