package io.filehost.authservice.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.filehost.authservice.service.AccountInfoView;
import io.filehost.authservice.service.PackageSpec;
import io.filehost.common.api.ApiDates;
import io.filehost.common.api.Envelope;

import java.time.ZoneId;

/** Renders the public API's account payloads: every database value as a string, NULL as null (behaviour.md §2). */
final class ApiV2Json {
    private ApiV2Json() {
    }

    /** behaviour.md §4 /account/info, in that order. */
    static ObjectNode accountInfo(AccountInfoView a, ZoneId zone) {
        ObjectNode data = Envelope.object();
        data.put("id", Long.toString(a.id()));
        data.put("username", a.username());
        data.put("level_id", Long.toString(a.levelId()));
        data.put("email", a.email());
        data.put("lastlogindate", ApiDates.format(a.lastLoginDate(), zone));
        data.put("lastloginip", a.lastLoginIp());
        data.put("status", a.status());
        data.put("title", a.title());
        data.put("firstname", a.firstname());
        data.put("lastname", a.lastname());
        data.put("languageId", a.languageId() == null ? null : a.languageId().toString());
        data.put("datecreated", ApiDates.format(a.dateCreated(), zone));
        data.put("lastPayment", ApiDates.format(a.lastPayment(), zone));
        data.put("paidExpiryDate", ApiDates.format(a.paidExpiryDate(), zone));
        data.put("storageLimitOverride", a.storageLimitOverride() == null ? null : a.storageLimitOverride().toString());
        return data;
    }

    /** behaviour.md §4 /account/package, in that order; booleans as "1"/"0" like the upstream database. */
    static ObjectNode accountPackage(long id, PackageSpec p) {
        ObjectNode data = Envelope.object();
        data.put("id", Long.toString(id));
        data.put("label", p.label());
        data.put("max_upload_size", Long.toString(p.maxUploadSize()));
        data.put("can_upload", flag(p.canUpload()));
        data.put("wait_between_downloads", Integer.toString(p.waitBetweenDownloads()));
        data.put("download_speed", Long.toString(p.downloadSpeed()));
        data.put("max_storage_bytes", Long.toString(p.maxStorageBytes()));
        data.put("show_site_adverts", flag(p.showSiteAdverts()));
        data.put("show_upgrade_screen", flag(p.showUpgradeScreen()));
        data.put("days_to_keep_inactive_files", Integer.toString(p.daysToKeepInactiveFiles()));
        data.put("concurrent_uploads", Integer.toString(p.concurrentUploads()));
        data.put("concurrent_downloads", Integer.toString(p.concurrentDownloads()));
        data.put("downloads_per_24_hours", Integer.toString(p.downloadsPer24Hours()));
        data.put("download_size_per_24_hours", Long.toString(p.downloadSizePer24Hours()));
        data.put("max_download_filesize_allowed", Long.toString(p.maxDownloadFilesizeAllowed()));
        data.put("max_remote_download_urls", Integer.toString(p.maxRemoteDownloadUrls()));
        data.put("level_type", p.levelType());
        data.put("on_upgrade_page", flag(p.onUpgradePage()));
        return data;
    }

    private static String flag(boolean value) {
        return value ? "1" : "0";
    }
}
