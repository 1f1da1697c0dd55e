package io.filehost.fileservice.service;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reservation step sizes of {@link Uploader#wantedStep} with the production defaults (8 MiB first, 256 MiB at
 * most): the goal is at most 16 quota transactions per GiB uploaded (it was one per MiB, 1,024).
 */
class ReservationStepsTest {
    private static final long MIB = 1024 * 1024;
    private static final long GIB = 1024 * MIB;
    private static final long FIRST = 8 * MIB;
    private static final long MAX = 256 * MIB;
    private static final int READ = 64 * 1024;

    /** Reads {@code size} bytes {@code READ} at a time, reserving like the upload does with all quota free. */
    private static int steps(long size, long declared, long maxSize) {
        long count = 0;
        long reserved = 0;
        int steps = 0;
        while (count < size) {
            count += Math.min(READ, size - count);
            if (count > reserved) {
                long wanted = Uploader.wantedStep(count, reserved, declared, maxSize, FIRST, MAX);
                assertTrue(wanted >= count - reserved, "a step covers at least the bytes read");
                reserved += wanted;
                steps++;
            }
        }
        assertTrue(reserved >= size);
        return steps;
    }

    @Test
    void aGibOfUnknownLengthTakesNineSteps() {
        assertEquals(9, steps(GIB, -1, 0));
        assertEquals(1, steps(5 * MIB, -1, 0), "a small upload: one step");
        assertTrue(steps(10 * GIB, -1, 0) <= 16 * 10, "and the cap keeps it far below one per MiB");
    }

    @Test
    void aDeclaredLengthIsReservedAtOnce() {
        assertEquals(1, steps(GIB, GIB + 300, 0));
        // A declared length that understates the body (a wrong client) falls back to doubling steps.
        assertEquals(6, steps(GIB, 100 * MIB, 0));
    }

    @Test
    void theReservationNeverGoesBeyondThePackagesUploadSize() {
        long maxSize = 20 * MIB;
        assertEquals(maxSize, Uploader.wantedStep(1, 0, GIB, maxSize, FIRST, MAX));
        assertEquals(maxSize - 16 * MIB, Uploader.wantedStep(16 * MIB + 1, 16 * MIB, -1, maxSize, FIRST, MAX));
        assertEquals(3, steps(maxSize, -1, maxSize));
    }
}
