package io.filehost.common.api;

public final class ApiMedia {
    /** behaviour.md §1: every API response carries exactly this content type. */
    public static final String JSON_UTF8 = "application/json; charset=UTF-8";

    private ApiMedia() {
    }
}
