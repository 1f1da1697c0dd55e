package io.filehost.common.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.ZoneId;

/**
 * The API envelope of behaviour.md §2, built in one place for every service and the gateway.
 * Key order matters to some clients, so the builder appends in the documented order:
 * {@code response}, payload fields ({@code data}, or {@code original_file}/{@code new_file} for copy), {@code _status},
 * {@code _datetime}.
 */
public final class Envelope {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ObjectNode node = JSON.objectNode();

    private Envelope() {
    }

    public static Envelope success() {
        return new Envelope();
    }

    /** Error envelope: both {@code status} (upstream 4.x) and {@code _status} (5.x), since clients check either. */
    public static ObjectNode error(String message, ZoneId zone) {
        ObjectNode error = JSON.objectNode();
        error.put("status", "error");
        error.put("_status", "error");
        error.put("response", message);
        error.put("_datetime", ApiDates.now(zone));
        return error;
    }

    public Envelope response(String message) {
        node.put("response", message);
        return this;
    }

    public Envelope data(JsonNode data) {
        node.set("data", data);
        return this;
    }

    /** For payloads that are not under {@code data}, such as copy's {@code original_file} and {@code new_file}. */
    public Envelope field(String name, JsonNode value) {
        node.set(name, value);
        return this;
    }

    public ObjectNode build(ZoneId zone) {
        node.put("_status", "success");
        node.put("_datetime", ApiDates.now(zone));
        return node;
    }

    public static ObjectNode object() {
        return JSON.objectNode();
    }
}
