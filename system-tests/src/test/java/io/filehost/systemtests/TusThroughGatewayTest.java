package io.filehost.systemtests;

import io.restassured.response.Response;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resumable uploads (docs/tus.md) through the gateway, as tus clients drive them. */
class TusThroughGatewayTest {
    private static final int MB = 1024 * 1024;
    private static final String TUS = "/api/v2/file/tus";

    private static Map<String, String> credentials(Platform.Account account, String token) {
        return Map.of("Authorization", "Bearer " + token, "X-Account-Id", account.accountId());
    }

    private static String path(String location) {
        return URI.create(location).getRawPath();
    }

    private static String b64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static io.restassured.specification.RequestSpecification tus(Map<String, String> credentials) {
        return given().headers(credentials).header("Tus-Resumable", "1.0.0");
    }

    /** The file's bytes through the API's own download link; returns their md5. */
    private static String downloadedMd5(String token, Platform.Account account, String fileId) throws Exception {
        String url = given().formParam("access_token", token).formParam("account_id", account.accountId())
                .formParam("file_id", fileId).post("/api/v2/file/download").then().statusCode(200)
                .extract().path("data.download_url");
        URI uri = URI.create(url);
        try (InputStream in = given().urlEncodingEnabled(false).get(uri.getRawPath() + "?" + uri.getRawQuery())
                .then().statusCode(200).extract().asInputStream()) {
            return ImportSource.md5Of(in);
        }
    }

    @Test
    void aRealTusClientUploadsAFileTheApiThenServes() throws Exception {
        Platform.Account account = Platform.newDemoAccount();
        String token = Platform.authorize(account);
        byte[] content = new byte[7 * MB + 333];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) ImportSource.content(i);
        }
        TusClient client = new TusClient();
        client.setUploadCreationURL(new URL(Platform.GATEWAY + TUS));
        client.setHeaders(credentials(account, token));
        TusUpload upload = new TusUpload();
        upload.setInputStream(new ByteArrayInputStream(content));
        upload.setSize(content.length);
        upload.setFingerprint("st-" + System.nanoTime());
        upload.setMetadata(Map.of("filename", "tus client.bin", "filetype", "application/octet-stream"));
        TusUploader uploader = client.createUpload(upload);
        uploader.setChunkSize(2 * MB);
        while (uploader.uploadChunk() > -1) {
            // every chunk is one PATCH (tunnelled through POST by this client)
        }
        uploader.finish();
        URL uploadUrl = uploader.getUploadURL();
        String fileId = tus(credentials(account, token)).head(path(uploadUrl.toString())).then().statusCode(200)
                .header("Upload-Offset", Integer.toString(content.length)).extract().header("Filehost-File-Id");
        assertNotNull(fileId, "a completed upload names its file");
        given().formParam("access_token", token).formParam("account_id", account.accountId())
                .formParam("file_id", fileId).post("/api/v2/file/info").then().statusCode(200)
                .body("data.filename", equalTo("tus client.bin"))
                .body("data.fileSize", equalTo(Integer.toString(content.length)));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content)),
                downloadedMd5(token, account, fileId));
    }

    @Test
    void a300MiBUploadCutMidPatchResumesThroughAnotherGateway() throws Exception {
        long size = 300L * MB;
        // beyond the free package's limits: a package without any
        Platform.Account account = Platform.newAccount("demo", Platform.newPackage("demo", 0, 0, 0));
        String token = Platform.authorize(account);
        Map<String, String> credentials = credentials(account, token);
        String location = tus(credentials).header("Upload-Length", size)
                .header("Upload-Metadata", "filename " + b64("big.bin")).post(TUS).then().statusCode(201)
                .extract().header("Location");
        String path = path(location);
        // First PATCH: promises every byte, sends 100 MiB + 5, then the connection is cut.
        long cutAt = 100L * MB + 5;
        URI gateway = URI.create(Platform.GATEWAYS.get(0));
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH " + path + " HTTP/1.1\r\nHost: " + gateway.getHost() + ":" + gateway.getPort()
                    + "\r\nTus-Resumable: 1.0.0\r\nAuthorization: Bearer " + token + "\r\nX-Account-Id: "
                    + account.accountId() + "\r\nContent-Type: application/offset+octet-stream\r\nUpload-Offset: 0"
                    + "\r\nContent-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            send(out, 0, cutAt);
            out.flush();
        }
        // The client asks where it stands (through the other gateway in the replica run) and continues from there.
        String other = Platform.GATEWAYS.get(Platform.GATEWAYS.size() - 1);
        long offset = 0;
        for (int i = 0; i < 100 && offset == 0; i++) {
            Thread.sleep(100);
            offset = Long.parseLong(tus(credentials).baseUri(other).head(path).then().statusCode(200)
                    .extract().header("Upload-Offset"));
        }
        assertTrue(offset > 0 && offset <= cutAt, "kept what arrived: " + offset);
        String fileId = null;
        while (offset < size) {
            long end = Math.min(size, offset + 64L * MB);
            Response response = tus(credentials).baseUri(other).contentType("application/offset+octet-stream")
                    .header("Upload-Offset", offset).body(stream(offset, end)).patch(path);
            response.then().statusCode(204).header("Upload-Offset", Long.toString(end));
            fileId = response.header("Filehost-File-Id");
            offset = end;
        }
        assertNotNull(fileId);
        assertEquals(ImportSource.md5Of(size), downloadedMd5(token, account, fileId));
    }

    private static void send(OutputStream out, long from, long to) throws Exception {
        byte[] buffer = new byte[64 * 1024];
        for (long done = from; done < to; ) {
            int n = (int) Math.min(buffer.length, to - done);
            for (int k = 0; k < n; k++) {
                buffer[k] = (byte) ImportSource.content(done + k);
            }
            out.write(buffer, 0, n);
            done += n;
        }
    }

    /** Bytes {@code [from, to)} of the generated content, produced as they are read. */
    private static InputStream stream(long from, long to) {
        return new InputStream() {
            long position = from;

            @Override
            public int read() {
                return position < to ? ImportSource.content(position++) : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= to) {
                    return -1;
                }
                int n = (int) Math.min(len, to - position);
                for (int k = 0; k < n; k++) {
                    b[off + k] = (byte) ImportSource.content(position + k);
                }
                position += n;
                return n;
            }
        };
    }

    @Test
    void terminationReleasesTheQuotaAndOtherAccountsSeeNothing() {
        String pkg = Platform.newPackage("demo", 0, 20L * MB, 0);
        Platform.Account account = Platform.newAccount("demo", pkg);
        Map<String, String> credentials = credentials(account, Platform.authorize(account));
        String path = path(tus(credentials).header("Upload-Length", 15 * MB).post(TUS).then().statusCode(201)
                .extract().header("Location"));
        tus(credentials).header("Upload-Length", 10 * MB).post(TUS).then().statusCode(413);

        Platform.Account stranger = Platform.newDemoAccount();
        Map<String, String> strangers = credentials(stranger, Platform.authorize(stranger));
        tus(strangers).head(path).then().statusCode(404);
        tus(strangers).contentType("application/offset+octet-stream").header("Upload-Offset", 0)
                .body(new byte[10]).patch(path).then().statusCode(404);
        tus(strangers).delete(path).then().statusCode(404);

        tus(credentials).delete(path).then().statusCode(204);
        tus(credentials).head(path).then().statusCode(404);
        tus(credentials).header("Upload-Length", 10 * MB).post(TUS).then().statusCode(201);
    }
}
