package io.filehost.folderservice.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.filehost.common.api.ApiDates;
import io.filehost.common.api.Envelope;
import io.filehost.folderservice.service.FolderListing;
import io.filehost.folderservice.service.FolderView;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;

/** Folder JSON in the field order of behaviour.md §6; database values as strings, the counters as integers. */
final class FolderJson {
    private static final String HEX = "0123456789ABCDEF";

    private FolderJson() {
    }

    static ObjectNode info(FolderView folder, String baseUrl, ZoneId zone) {
        return folder(folder, baseUrl, zone, true);
    }

    static ObjectNode listing(FolderListing listing, String baseUrl, ZoneId zone) {
        ObjectNode data = Envelope.object();
        ArrayNode folders = data.putArray("folders");
        listing.folders().forEach(folder -> folders.add(folder(folder, baseUrl, zone, false)));
        ArrayNode files = data.putArray("files");
        listing.files().forEach(files::add);
        return data;
    }

    private static ObjectNode folder(FolderView folder, String baseUrl, ZoneId zone, boolean withPassword) {
        ObjectNode node = Envelope.object();
        node.put("id", Long.toString(folder.id()));
        node.put("parentId", folder.parentId() == null ? null : folder.parentId().toString());
        node.put("folderName", folder.folderName());
        node.put("totalSize", Long.toString(folder.totals().totalSize()));
        node.put("isPublic", Integer.toString(folder.isPublic()));
        if (withPassword) {
            node.put("accessPassword", folder.accessPassword());
        }
        node.put("date_added", ApiDates.format(folder.dateAdded(), zone));
        node.put("date_updated", ApiDates.format(folder.dateUpdated(), zone));
        node.put("url_folder", url(baseUrl, folder.id(), folder.folderName()));
        node.put("total_downloads", folder.totals().totalDownloads());
        node.put("child_folder_count", folder.childFolderCount());
        node.put("file_count", folder.totals().fileCount());
        return node;
    }

    /**
     * {@code {base}/folder/{id}/{slug}}: upstream's slug replaces space " ' ; # % with {@code _}. We also
     * percent-encode what would otherwise break the URL (a {@code /} or {@code ?} in a name, non-ASCII as UTF-8), so
     * every name gives a valid link; plain names come out exactly as upstream's.
     */
    static String url(String baseUrl, long id, String name) {
        return (baseUrl == null ? "" : baseUrl) + "/folder/" + id + "/" + slug(name);
    }

    static String slug(String name) {
        StringBuilder slug = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c == ' ' || c == '"' || c == '\'' || c == ';' || c == '#' || c == '%') {
                slug.append('_');
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&()*+,=:@".indexOf(c) >= 0) {
                slug.append(c);
            } else {
                slug.append('%').append(HEX.charAt((b >> 4) & 0xf)).append(HEX.charAt(b & 0xf));
            }
        }
        return slug.toString();
    }
}
