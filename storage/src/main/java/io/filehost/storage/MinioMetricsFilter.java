package io.filehost.storage;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/**
 * Bounds the {@code uri} tag of the MinIO client's HTTP metrics ({@code minio.client*}, quarkus-minio's
 * {@code produce-metrics}, on by default). The binding tags each request with its path, which for object requests is
 * {@code /bucket/object-key}: one new series per stored object, until quarkus-minio's own guard denies every further
 * one after 100 ("Reached the maximum number (100) of URI tags") and the metrics stop describing new traffic. Mapped
 * to the request's shape instead ({@code /}, {@code /{bucket}}, {@code /{bucket}/{key}}), which together with the
 * method and status tags still tells a part upload from a stat, a read or a bucket check.
 */
@Singleton
public class MinioMetricsFilter {
    static final String METER_PREFIX = "minio.client";
    static final String URI_TAG = "uri";

    @Produces
    @Singleton
    MeterFilter boundedMinioUris() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String uri = id.getTag(URI_TAG);
                if (uri == null || !id.getName().startsWith(METER_PREFIX)) {
                    return id;
                }
                List<Tag> tags = new ArrayList<>();
                for (Tag tag : id.getTagsAsIterable()) {
                    tags.add(tag.getKey().equals(URI_TAG) ? Tag.of(URI_TAG, template(uri)) : tag);
                }
                return id.replaceTags(tags);
            }
        };
    }

    /** The path's shape: path-style S3 addressing puts the bucket first and the object key (any depth) after it. */
    static String template(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.isEmpty()) {
            return "/";
        }
        int slash = trimmed.indexOf('/');
        return slash < 0 || slash == trimmed.length() - 1 ? "/{bucket}" : "/{bucket}/{key}";
    }
}
