package io.filehost.fileservice;

import io.filehost.storage.StorageConfig;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The configured S3 endpoint and bucket work for the operations the file API needs, with an unknown length too. */
@QuarkusTest
class StorageWiringTest {
    @Inject
    MinioClient minio;

    @Inject
    StorageConfig storage;

    @Test
    void anObjectOfUnknownLengthRoundTripsAndCanBeRemoved() throws Exception {
        String key = "wiring/" + UUID.randomUUID();
        byte[] content = "bytes through the real S3 endpoint".getBytes(StandardCharsets.UTF_8);
        minio.putObject(PutObjectArgs.builder().bucket(storage.bucket()).object(key)
                .stream(new ByteArrayInputStream(content), -1, 5L * 1024 * 1024).build());
        assertEquals(content.length, minio.statObject(
                StatObjectArgs.builder().bucket(storage.bucket()).object(key).build()).size());
        try (InputStream in = minio.getObject(GetObjectArgs.builder().bucket(storage.bucket()).object(key)
                .offset(6L).length(7L).build())) {
            assertArrayEquals("through".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }
        minio.removeObject(RemoveObjectArgs.builder().bucket(storage.bucket()).object(key).build());
        assertThrows(ErrorResponseException.class, () -> minio.statObject(
                StatObjectArgs.builder().bucket(storage.bucket()).object(key).build()));
    }
}
