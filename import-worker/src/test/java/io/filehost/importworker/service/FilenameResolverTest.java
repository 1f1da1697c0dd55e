package io.filehost.importworker.service;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FilenameResolverTest {
    @Test
    void prefersExtendedFilenameThenQuotedThenPath() {
        URI url = URI.create("http://h/dir/a%20b.iso?x=1");
        assertEquals("résumé.pdf", FilenameResolver.resolve(
                "attachment; filename=\"fallback.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf", url, 200));
        assertEquals("quoted \"x\".txt", FilenameResolver.resolve("attachment; filename=\"quoted \\\"x\\\".txt\"", url, 200));
        assertEquals("token.bin", FilenameResolver.resolve("attachment; filename=token.bin", url, 200));
        assertEquals("a b.iso", FilenameResolver.resolve(null, url, 200));
        assertEquals("a b.iso", FilenameResolver.resolve("inline", url, 200));
    }

    @Test
    void sanitises() {
        URI root = URI.create("http://h/");
        assertEquals("download", FilenameResolver.resolve(null, root, 200));
        assertEquals("passwd", FilenameResolver.resolve("attachment; filename=\"../../etc/passwd\"", root, 200));
        assertEquals("evil.exe", FilenameResolver.resolve("attachment; filename=\"C:\\\\x\\\\evil.exe\"", root, 200));
        assertEquals("ab.txt", FilenameResolver.resolve(null, URI.create("http://h/a%00%0d%0ab.txt"), 200));
        assertEquals("download", FilenameResolver.resolve(null, URI.create("http://h/.."), 200));
        assertEquals("x%2.txt", FilenameResolver.resolve(null, URI.create("http://h/x%252.txt"), 200).replace("%25", "%"));
        String longName = "a".repeat(500) + ".tar.gz";
        String bounded = FilenameResolver.resolve("attachment; filename=\"" + longName + "\"", root, 200);
        assertEquals(200, bounded.length());
        assertEquals(".gz", bounded.substring(bounded.length() - 3));
    }
}
