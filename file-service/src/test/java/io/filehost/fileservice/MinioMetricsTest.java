package io.filehost.fileservice;

import io.filehost.fileservice.support.FakeFolderService;
import io.filehost.fileservice.support.FileApi;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MinIO client's HTTP metrics keep a bounded number of series however many objects are stored: the object key
 * must not become a tag value (quarkus-minio tags the request path, one series per object, until its guard denies
 * every new one after 100).
 */
@QuarkusTest
@QuarkusTestResource(FakeFolderService.class)
class MinioMetricsTest {
    private static final int UPLOADS = 30;

    @Inject
    MeterRegistry registry;

    @Test
    void uploadsOfDistinctObjectsAddNoSeriesPerObject() {
        FileApi api = FileApi.newAccount();
        for (int i = 0; i < UPLOADS; i++) {
            api.uploadId("metrics-" + i + ".txt", "distinct content " + i + " " + UUID.randomUUID());
        }
        Set<String> uris = new TreeSet<>();
        int series = 0;
        for (Meter meter : registry.getMeters()) {
            if (meter.getId().getName().startsWith("minio.client") && meter.getId().getTag("uri") != null) {
                uris.add(meter.getId().getTag("uri"));
                series++;
            }
        }
        assertTrue(uris.contains("/{bucket}/{key}"), "object requests are measured under one template: " + uris);
        assertTrue(uris.size() <= 3, "uri tag values are the request shapes, not object keys: " + uris);
        // method x status x outcome x uri-shape, far below one per object
        assertTrue(series < UPLOADS, series + " minio.client series after " + UPLOADS + " uploads: " + uris);
    }
}
