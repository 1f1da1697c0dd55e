package io.filehost.common.rest;

import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ApiResponsesTest {
    @Test
    void aServiceUnavailableAnswerSaysWhenToRetry() {
        assertEquals("5", ApiResponses.error(503, "down", ZoneOffset.UTC).getHeaderString("Retry-After"));
        assertNull(ApiResponses.error(500, "bug", ZoneOffset.UTC).getHeaderString("Retry-After"));
    }
}
