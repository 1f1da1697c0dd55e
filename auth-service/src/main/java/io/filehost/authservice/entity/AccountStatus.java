package io.filehost.authservice.entity;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Account states as upstream names them; only {@link #ACTIVE} may authenticate. Stored as the lower-case name. */
public enum AccountStatus {
    ACTIVE, PENDING, SUSPENDED, DISABLED;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<AccountStatus> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(s -> s.dbValue().equals(value.trim().toLowerCase(Locale.ROOT))).findFirst();
    }
}
