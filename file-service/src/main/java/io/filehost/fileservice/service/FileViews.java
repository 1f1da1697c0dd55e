package io.filehost.fileservice.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.filehost.common.api.ApiDates;
import io.filehost.fileservice.entity.FileRecord;
import io.filehost.fileservice.entity.UrlImportJob;

import java.time.ZoneId;

/** Entities never leave the service: these are the API shapes of behaviour.md §5/§6, keys in the documented order. */
public final class FileViews {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private FileViews() {
    }

    public static String base(String publicBaseUrl) {
        if (publicBaseUrl == null) {
            return "";
        }
        return publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
    }

    public static String url(FileRecord file, String base) {
        return base(base) + "/" + ShortUrls.encode(file.id);
    }

    public static ObjectNode info(FileRecord file, String base, ZoneId zone) {
        String url = url(file, base);
        ObjectNode node = JSON.objectNode();
        node.put("id", Long.toString(file.id));
        node.put("filename", file.filename);
        node.put("shortUrl", ShortUrls.encode(file.id));
        node.put("fileType", file.fileType);
        node.put("extension", file.extension);
        node.put("fileSize", Long.toString(file.fileSize));
        node.put("uploadedIP", file.uploadedIp);
        node.put("uploadedDate", ApiDates.format(file.uploadedDate, zone));
        node.put("file_status", file.status);
        node.put("downloads", Long.toString(file.downloads));
        node.put("lastAccessed", ApiDates.format(file.lastAccessed, zone));
        node.put("folderId", file.folderId == null ? null : file.folderId.toString());
        node.put("keywords", file.keywords);
        node.put("isPublic", Integer.toString(file.isPublic));
        node.put("uploadSource", file.uploadSource);
        node.put("url_file", url);
        node.put("url_file_info", url + "~i");
        node.put("url_file_stats", url + "~s");
        node.put("url_file_delete", url + "~d?" + file.deleteHash);
        // Our addition after the documented fields (docs/internal-api.md): /file/upload's hash, for later.
        node.put("hash", file.md5);
        return node;
    }

    /** The listing entry folder-service shows (behaviour.md §6 "Files entries"), then our addition uploadedDate. */
    public static ObjectNode listing(FileRecord file, String base, ZoneId zone) {
        ObjectNode node = JSON.objectNode();
        node.put("id", Long.toString(file.id));
        node.put("filename", file.filename);
        node.put("shortUrl", ShortUrls.encode(file.id));
        node.put("fileType", file.fileType);
        node.put("extension", file.extension);
        node.put("fileSize", Long.toString(file.fileSize));
        node.put("status", file.status);
        node.put("downloads", Long.toString(file.downloads));
        node.put("folderId", file.folderId == null ? null : file.folderId.toString());
        node.put("keywords", file.keywords);
        node.put("url_file", url(file, base));
        // Our addition (docs/internal-api.md): a listing can show and sort by upload date without a call per file.
        node.put("uploadedDate", ApiDates.format(file.uploadedDate, zone));
        return node;
    }

    public static ArrayNode uploaded(FileRecord file, String md5, String base) {
        String url = url(file, base);
        String shortUrl = ShortUrls.encode(file.id);
        ObjectNode node = JSON.objectNode();
        node.put("name", file.filename);
        node.put("size", Long.toString(file.fileSize));
        node.put("type", file.fileType);
        node.putNull("error");
        node.put("url", url);
        node.put("delete_url", url + "~d?" + file.deleteHash);
        node.put("info_url", url + "~i?" + file.deleteHash);
        node.put("delete_type", "DELETE");
        node.put("delete_hash", file.deleteHash);
        node.put("hash", md5);
        node.put("stats_url", url + "~s");
        node.put("short_url", shortUrl);
        node.put("file_id", Long.toString(file.id));
        node.put("unique_hash", file.uniqueHash);
        String escapedUrl = FileNames.escapeHtml(url);
        String escapedName = FileNames.escapeHtml(file.filename);
        node.put("url_html", "<a href=\"" + escapedUrl + "\" target=\"_blank\" title=\"View " + escapedName + "\">view "
                + escapedName + "</a>");
        node.put("url_bbcode", "[url]" + url + "[/url]");
        ArrayNode data = JSON.arrayNode();
        data.add(node);
        return data;
    }

    /** /file/url_upload_add's data. */
    public static ObjectNode urlImportScheduled(UrlImportJob job) {
        ObjectNode node = JSON.objectNode();
        node.put("scheduled_item_id", job.id);
        node.put("url", job.url);
        return node;
    }

    /**
     * /file/url_upload_status's data: the documented fields (ids and sizes as integers, as the documentation shows),
     * then our additions {@code downloaded_size} and, for a failed job, {@code error}.
     */
    public static ObjectNode urlImportStatus(UrlImportJob job, FileRecord file, String base, ZoneId zone) {
        ObjectNode node = JSON.objectNode();
        node.put("scheduled_item_id", job.id);
        node.put("status", job.status);
        node.put("created", ApiDates.format(job.createdAt, zone));
        node.put("started", ApiDates.format(job.startedAt, zone));
        node.put("finished", ApiDates.format(job.finishedAt, zone));
        node.put("total_size", job.totalSize == null ? 0L : job.totalSize);
        if (file == null) {
            node.putNull("downloaded_file");
        } else {
            ObjectNode downloaded = node.putObject("downloaded_file");
            downloaded.put("file_id", file.id);
            downloaded.put("name", file.filename);
            downloaded.put("size", file.fileSize);
            downloaded.put("url", url(file, base));
        }
        node.put("downloaded_size", job.downloadedSize);
        if (UrlImportJob.FAILED.equals(job.status)) {
            node.put("error", job.error);
        }
        return node;
    }
}
