package io.filehost.authservice.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.filehost.authservice.service.AccountCredentials;
import io.filehost.authservice.service.AccountSummary;
import io.filehost.authservice.service.AdminRequestException;
import io.filehost.authservice.service.PackageSpec;
import io.filehost.authservice.service.PackageView;
import io.filehost.authservice.service.TenantView;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The admin API's JSON: typed values (numbers, booleans), ids as strings like everywhere else, package fields named
 * as /account/package names them.
 */
final class AdminJson {
    private AdminJson() {
    }

    static Map<String, Object> tenant(TenantView t) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tenantId", Long.toString(t.id()));
        json.put("name", t.name());
        json.put("hosts", t.hosts());
        json.put("publicBaseUrl", t.publicBaseUrl());
        json.put("strictHttp", t.strictHttp());
        json.put("timeZone", t.timeZone());
        json.put("isDefault", t.isDefault());
        json.put("packages", t.packages().stream().map(AdminJson::packageView).toList());
        return json;
    }

    static Map<String, Object> packageView(PackageView view) {
        PackageSpec p = view.spec();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", Long.toString(view.id()));
        json.put("tenant", view.tenant());
        json.put("name", view.name());
        json.put("label", p.label());
        json.put("max_upload_size", p.maxUploadSize());
        json.put("can_upload", p.canUpload());
        json.put("wait_between_downloads", p.waitBetweenDownloads());
        json.put("download_speed", p.downloadSpeed());
        json.put("max_storage_bytes", p.maxStorageBytes());
        json.put("show_site_adverts", p.showSiteAdverts());
        json.put("show_upgrade_screen", p.showUpgradeScreen());
        json.put("days_to_keep_inactive_files", p.daysToKeepInactiveFiles());
        json.put("concurrent_uploads", p.concurrentUploads());
        json.put("concurrent_downloads", p.concurrentDownloads());
        json.put("downloads_per_24_hours", p.downloadsPer24Hours());
        json.put("download_size_per_24_hours", p.downloadSizePer24Hours());
        json.put("max_download_filesize_allowed", p.maxDownloadFilesizeAllowed());
        json.put("max_remote_download_urls", p.maxRemoteDownloadUrls());
        json.put("level_type", p.levelType());
        json.put("on_upgrade_page", p.onUpgradePage());
        return json;
    }

    static Map<String, Object> credentials(AccountCredentials c) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("account_id", Long.toString(c.accountId()));
        json.put("tenant", c.tenant());
        json.put("username", c.username());
        json.put("package", c.packageName());
        json.put("key1", c.key1());
        json.put("key2", c.key2());
        return json;
    }

    static Map<String, Object> summary(AccountSummary s) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("account_id", Long.toString(s.accountId()));
        json.put("tenant", s.tenant());
        json.put("username", s.username());
        json.put("package", s.packageName());
        json.put("status", s.status());
        return json;
    }

    /** Every field of /account/package; booleans also accepted as 0/1 or "0"/"1", numbers also as strings. */
    static PackageSpec packageSpec(JsonNode body) {
        return new PackageSpec(
                text(body, "label"),
                number(body, "max_upload_size"),
                flag(body, "can_upload"),
                (int) number(body, "wait_between_downloads"),
                number(body, "download_speed"),
                number(body, "max_storage_bytes"),
                flag(body, "show_site_adverts"),
                flag(body, "show_upgrade_screen"),
                (int) number(body, "days_to_keep_inactive_files"),
                (int) number(body, "concurrent_uploads"),
                (int) number(body, "concurrent_downloads"),
                (int) number(body, "downloads_per_24_hours"),
                number(body, "download_size_per_24_hours"),
                number(body, "max_download_filesize_allowed"),
                (int) number(body, "max_remote_download_urls"),
                text(body, "level_type"),
                flag(body, "on_upgrade_page"));
    }

    static String text(JsonNode body, String field) {
        JsonNode value = required(body, field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw AdminRequestException.badRequest(field + " must be a non-empty string");
        }
        return value.asText().trim();
    }

    private static long number(JsonNode body, String field) {
        JsonNode value = required(body, field);
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return checkRange(field, value.asLong());
        }
        if (value.isTextual() && value.asText().trim().matches("[0-9]{1,18}")) {
            return checkRange(field, Long.parseLong(value.asText().trim()));
        }
        throw AdminRequestException.badRequest(field + " must be a whole number >= 0");
    }

    private static long checkRange(String field, long value) {
        boolean isInt = !(field.endsWith("size") || field.endsWith("bytes") || field.equals("download_speed")
                || field.equals("download_size_per_24_hours") || field.equals("max_download_filesize_allowed"));
        if (value < 0 || (isInt && value > Integer.MAX_VALUE)) {
            throw AdminRequestException.badRequest(field + " is out of range");
        }
        return value;
    }

    private static boolean flag(JsonNode body, String field) {
        JsonNode value = required(body, field);
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        String text = value.asText().trim();
        if (text.equals("1") || text.equals("0")) {
            return text.equals("1");
        }
        throw AdminRequestException.badRequest(field + " must be true/false or 1/0");
    }

    private static JsonNode required(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw AdminRequestException.badRequest(field + " is required");
        }
        return value;
    }
}
