package io.filehost.importworker.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code file.url-import.requested} value (internal-api.md, "Remote URL import"). */
public record ImportRequest(String jobId, int attempt, String tenantId, String accountId, String url, long maxBytes,
                            long requestedAt) {

    /** The request could not be read: no retry can help, it goes to the DLQ. */
    public static final class Unparseable extends Exception {
        public Unparseable(String why) {
            super(why, null, false, false);
        }
    }

    public String idempotencyKey() {
        return jobId + ":" + attempt;
    }

    public static ImportRequest parse(ObjectMapper json, String value) throws Unparseable {
        if (value == null) {
            throw new Unparseable("empty value");
        }
        JsonNode node;
        try {
            node = json.readTree(value);
        } catch (Exception e) {
            throw new Unparseable("not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new Unparseable("not a JSON object");
        }
        String jobId = text(node, "jobId");
        String tenantId = text(node, "tenantId");
        String url = text(node, "url");
        if (jobId == null || !jobId.matches("[0-9A-Za-z_-]{1,64}")) {
            throw new Unparseable("jobId");
        }
        if (tenantId == null || !tenantId.matches("[0-9A-Za-z_-]{1,64}")) {
            throw new Unparseable("tenantId"); // it becomes the object key prefix: only safe characters
        }
        if (url == null) {
            throw new Unparseable("url");
        }
        long attempt = number(node, "attempt", 1);
        long maxBytes = number(node, "maxBytes", 0);
        if (attempt < 1 || attempt > Integer.MAX_VALUE || maxBytes < 0) {
            throw new Unparseable("attempt/maxBytes");
        }
        return new ImportRequest(jobId, (int) attempt, tenantId, text(node, "accountId"), url, maxBytes,
                number(node, "requestedAt", 0));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        return v.isValueNode() ? v.asText() : null;
    }

    private static long number(JsonNode node, String field, long fallback) throws Unparseable {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isTextual() && v.asText().matches("[0-9]{1,18}")) {
            return Long.parseLong(v.asText());
        }
        throw new Unparseable(field);
    }
}
