package io.filehost.storage;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
        buffers.registry = new SimpleMeterRegistry();
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
        PartBuffers buffers = buffers(2); // 2 in flight + the one being read
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
        assertEquals(3, reused);
    }

    @Test
    void theGaugeShowsThePooledBytes() {
        PartBuffers buffers = buffers(2);
        byte[] a = buffers.take(1024);
        byte[] b = buffers.take(1024);
        assertEquals(0, buffers.registry.get("filehost.storage.part.buffers.pooled").gauge().value());
        buffers.give(a);
        buffers.give(b);
        assertEquals(2048, buffers.registry.get("filehost.storage.part.buffers.pooled").gauge().value());
        buffers.take(1024);
        assertEquals(1024, buffers.registry.get("filehost.storage.part.buffers.pooled").gauge().value());
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
