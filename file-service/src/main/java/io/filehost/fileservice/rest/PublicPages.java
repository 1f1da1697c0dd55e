package io.filehost.fileservice.rest;

import io.filehost.common.api.ApiDates;
import io.filehost.fileservice.entity.FileRecord;
import io.filehost.fileservice.service.FileService;
import io.filehost.fileservice.service.ShortUrls;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import java.time.ZoneOffset;

/**
 * The minimal public pages behind a file's links: {@code /{short}} (name, size, a download button for public files,
 * which POSTs and is redirected to a fresh token URL), {@code ~i} and {@code ~s} (details), {@code ~d?{deleteHash}}
 * (asks for confirmation; deletion only on POST, never on GET). Qute escapes every value.
 */
@ApplicationScoped
public class PublicPages {
    @Inject
    FileService files;

    @Inject
    Template filePage;

    @Inject
    Template fileInfo;

    @Inject
    Template fileDelete;

    @Inject
    Template notFound;

    record Ref(String shortUrl, char kind) {
        static Ref parse(String ref) {
            int tilde = ref.indexOf('~');
            if (tilde < 0) {
                return new Ref(ref, ' ');
            }
            String suffix = ref.substring(tilde + 1);
            return suffix.length() == 1 ? new Ref(ref.substring(0, tilde), suffix.charAt(0)) : new Ref(ref, '?');
        }
    }

    private static Response html(int status, String body) {
        return Response.status(status).type("text/html; charset=UTF-8").entity(body)
                .header("X-Content-Type-Options", "nosniff").header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", "default-src 'none'; form-action 'self'")
                .header("Cache-Control", "no-store").build();
    }

    private Response missing() {
        return html(404, notFound.render());
    }

    public Response page(String rawRef, String tenantHeader, String rawQuery) {
        Long tenantId = PublicResource.tenantOf(tenantHeader);
        Ref ref = Ref.parse(rawRef);
        FileRecord file = tenantId == null ? null : files.publicFile(tenantId, ref.shortUrl());
        if (file == null) {
            return missing();
        }
        String shortUrl = ShortUrls.encode(file.id);
        return switch (ref.kind()) {
            case ' ' -> html(200, filePage.data("name", file.filename).data("size", file.fileSize)
                    .data("type", file.fileType).data("downloadable", file.isPublic > 0).data("shortUrl", shortUrl)
                    .render());
            case 'i', 's' -> html(200, fileInfo.data("name", file.filename).data("size", file.fileSize)
                    .data("type", file.fileType).data("uploaded", ApiDates.format(file.uploadedDate, ZoneOffset.UTC))
                    .data("downloads", file.downloads).data("shortUrl", shortUrl).render());
            case 'd' -> rawQuery != null && rawQuery.equals(file.deleteHash)
                    ? html(200, fileDelete.data("name", file.filename).data("deleted", false)
                    .data("shortUrl", shortUrl).data("deleteHash", file.deleteHash).render())
                    : missing();
            default -> missing();
        };
    }

    public Response post(String rawRef, String tenantHeader, String rawQuery) {
        Long tenantId = PublicResource.tenantOf(tenantHeader);
        if (tenantId == null) {
            return missing();
        }
        Ref ref = Ref.parse(rawRef);
        if (ref.kind() == 'd') {
            FileRecord file = files.trashWithDeleteHash(tenantId, ref.shortUrl(), rawQuery);
            return file == null ? missing() : html(200, fileDelete.data("name", file.filename).data("deleted", true)
                    .data("shortUrl", "").data("deleteHash", "").render());
        }
        if (ref.kind() != ' ') {
            return missing();
        }
        String token = files.issueForVisitor(tenantId, ref.shortUrl());
        if (token == null) {
            return missing();
        }
        // Relative, so it resolves against the public URL the browser used, not this service's address.
        return Response.status(303).header("Location", ref.shortUrl() + "?download_token=" + token)
                .header("Cache-Control", "no-store").build();
    }
}
