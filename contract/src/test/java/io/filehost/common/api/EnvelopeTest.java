package io.filehost.common.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvelopeTest {

    @Test
    void successKeepsTheDocumentedKeyOrder() {
        ObjectNode data = Envelope.object().put("id", "1");
        ObjectNode body = Envelope.success().response("File uploaded").data(data).build(ZoneOffset.UTC);
        List<String> keys = new ArrayList<>();
        body.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("response", "data", "_status", "_datetime"), keys);
        assertEquals("success", body.get("_status").asText());
        assertTrue(body.get("_datetime").asText().matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}"));
    }

    @Test
    void errorCarriesBothStatusDialects() {
        ObjectNode body = Envelope.error("Nope.", ZoneOffset.UTC);
        List<String> keys = new ArrayList<>();
        body.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("status", "_status", "response", "_datetime"), keys);
        assertEquals("error", body.get("status").asText());
        assertEquals("error", body.get("_status").asText());
        assertEquals("Nope.", body.get("response").asText());
    }

    @Test
    void datesUseTheTenantZone() {
        Instant instant = Instant.parse("2024-05-20T02:51:08Z");
        assertEquals("2024-05-20 02:51:08", ApiDates.format(instant, ZoneOffset.UTC));
        assertEquals("2024-05-20 04:51:08", ApiDates.format(instant, ZoneId.of("Europe/Berlin")));
        assertNull(ApiDates.format(null, ZoneOffset.UTC));
        assertEquals(ZoneOffset.UTC, ApiDates.zoneOrUtc("Not/AZone"));
    }

    @Test
    void paramsAreTrimmedNormalisedAndChecked() {
        ApiParams params = ApiParams.of(Map.of(
                "name", List.of("  Cafe\u0301.txt "),
                "blank", List.of("   "),
                "ctl", List.of("a\u0007b"),
                "bad", List.of("a\uFFFDb")));
        assertEquals("Caf\u00e9.txt", params.optional("name"));
        assertNull(params.optional("blank"));
        assertTrue(params.has("blank"));
        ApiException missing = assertThrows(ApiException.class, () -> params.required("file_id"));
        assertEquals("Please provide the file_id param.", missing.getMessage());
        assertEquals(400, missing.status());
        assertThrows(ApiException.class, () -> params.optional("ctl"));
        assertThrows(ApiException.class, () -> params.optional("bad"));
    }

    @Test
    void idsThatCannotExistAreNull() {
        assertEquals(1253L, ApiParams.parseId("1253"));
        assertNull(ApiParams.parseId("0"));
        assertNull(ApiParams.parseId("-1"));
        assertNull(ApiParams.parseId("12a"));
        assertNull(ApiParams.parseId("99999999999999999999"));
    }
}
