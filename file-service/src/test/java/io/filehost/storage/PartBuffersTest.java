package io.filehost.storage;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Part buffers are reused between uploads, a bounded number of them, and never one of another size. */
class PartBuffersTest {
    private static PartBuffers buffers(int partsInFlight) {
        PartBuffers buffers = new PartBuffers();
        buffers.config = new StorageConfig() {
            @Override
            public String bucket() {
                return "b";
            }

            @Override
            public boolean createBucket() {
                return false;
            }

            @Override
            public Upload upload() {
                return new Upload() {
                    @Override
                    public int partsInFlight() {
                        return partsInFlight;
                    }

                    @Override
                    public int partsInFlightTotal() {
                        return 6;
                    }

                    @Override
                    public boolean unsignedPayload() {
                        return true;
                    }
                };
            }
        };
        buffers.init();
        return buffers;
    }

    @Test
    void aReturnedBufferServesTheNextUpload() {
        PartBuffers buffers = buffers(2);
        byte[] first = buffers.take(1024);
        buffers.give(first);
        assertSame(first, buffers.take(1024));
    }

    @Test
    void atMostOneUploadsWorthIsKept() {
        PartBuffers buffers = buffers(2); // 2 in flight + 1 read + 1
        byte[][] taken = new byte[6][];
        for (int i = 0; i < taken.length; i++) {
            taken[i] = buffers.take(16);
        }
        for (byte[] b : taken) {
            buffers.give(b);
        }
        int reused = 0;
        for (int i = 0; i < taken.length; i++) {
            byte[] b = buffers.take(16);
            for (byte[] t : taken) {
                reused += b == t ? 1 : 0;
            }
        }
        assertEquals(4, reused);
    }

    @Test
    void aNewPartSizeGetsNewBuffers() {
        PartBuffers buffers = buffers(2);
        byte[] small = buffers.take(16);
        buffers.give(small);
        byte[] larger = buffers.take(32);
        assertEquals(32, larger.length);
        assertNotSame(small, larger);
    }
}
