package io.filehost.common.failure;

/** What an exception means for the answer and the log: see {@link Failures#classify}. */
public sealed interface Failure {
    /** A dependency (database, S3, Kafka, another service) is down or did not answer: 503 + Retry-After, one WARN. */
    record Outage(String dependency, String reason) implements Failure {
    }

    /** The client went away (connection closed/reset while we were reading or writing): no answer, DEBUG only. */
    record ClientGone(String reason) implements Failure {
    }

    /** Anything else is a bug of ours: 500 and ERROR with the stack trace. */
    record Bug() implements Failure {
    }
}
