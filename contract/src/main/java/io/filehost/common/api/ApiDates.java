package io.filehost.common.api;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The API's only date format, PHP's {@code Y-m-d H:i:s}, rendered in the tenant's time zone. */
public final class ApiDates {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private ApiDates() {
    }

    /** {@code null} stays {@code null}: the API shows never-set dates as JSON null. */
    public static String format(Instant instant, ZoneId zone) {
        return instant == null ? null : FORMAT.format(instant.atZone(zone == null ? ZoneOffset.UTC : zone));
    }

    public static String now(ZoneId zone) {
        return format(Instant.now(), zone);
    }

    /** A tenant's configured zone id, falling back to UTC for anything unknown rather than failing a request. */
    public static ZoneId zoneOrUtc(String zoneId) {
        if (zoneId == null || zoneId.isBlank()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(zoneId.trim());
        } catch (RuntimeException e) {
            return ZoneOffset.UTC;
        }
    }
}
