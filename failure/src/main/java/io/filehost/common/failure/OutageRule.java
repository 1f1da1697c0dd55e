package io.filehost.common.failure;

/**
 * A module-specific way to recognise a dependency outage that the generic rules of {@link Failures} cannot see without
 * the dependency's own types (e.g. an S3 error answer with a 5xx status). Implementations are CDI beans; the
 * classifier asks every one of them about every exception of a cause chain.
 */
public interface OutageRule {
    /** The name of the dependency that {@code failure} shows to be down (e.g. "S3"), or {@code null}. */
    String dependencyDown(Throwable failure);
}
