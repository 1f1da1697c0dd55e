package io.filehost.fileservice.rest;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** RFC 9110 §14.1.2 byte ranges against a 20-byte body. */
class RangeParsingTest {
    private static final long SIZE = 20;

    @Test
    void satisfiableRanges() {
        assertArrayEquals(new long[]{10, 15}, PublicResource.parseRange("bytes=10-15", SIZE));
        assertArrayEquals(new long[]{10, 19}, PublicResource.parseRange("bytes=10-", SIZE));
        assertArrayEquals(new long[]{10, 19}, PublicResource.parseRange("bytes=10-99", SIZE));
        assertArrayEquals(new long[]{15, 19}, PublicResource.parseRange("bytes=-5", SIZE));
        assertArrayEquals(new long[]{0, 19}, PublicResource.parseRange("bytes=-50", SIZE));
    }

    @Test
    void aFirstPositionAtOrPastTheEndIsUnsatisfiable() {
        assertSame(PublicResource.UNSATISFIABLE, PublicResource.parseRange("bytes=20-", SIZE));
        assertSame(PublicResource.UNSATISFIABLE, PublicResource.parseRange("bytes=99-", SIZE));
        assertSame(PublicResource.UNSATISFIABLE, PublicResource.parseRange("bytes=99-120", SIZE));
        assertSame(PublicResource.UNSATISFIABLE, PublicResource.parseRange("bytes=-0", SIZE));
    }

    @Test
    void unsupportedOrInvalidRangesAreIgnored() {
        assertNull(PublicResource.parseRange("bytes=5-2", SIZE));
        assertNull(PublicResource.parseRange("bytes=0-1,5-6", SIZE));
        assertNull(PublicResource.parseRange("items=0-1", SIZE));
        assertNull(PublicResource.parseRange("bytes=x-1", SIZE));
    }
}
