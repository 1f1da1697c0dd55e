package io.filehost.storage;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Small writes wait in the socket's buffer until it is full or flushed, and arrive whole and in order. */
class CoalescingSocketFactoryTest {
    @Test
    void smallWritesLeaveTogetherOnFlushOrWhenTheBufferIsFull() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new CoalescingSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                     server.getLocalPort());
             Socket peer = server.accept()) {
            peer.setSoTimeout(300);
            InputStream in = peer.getInputStream();
            OutputStream out = client.getOutputStream();
            assertEquals(out, client.getOutputStream(), "one buffer per socket");

            byte[] segment = new byte[8192];
            Arrays.fill(segment, (byte) 7);
            for (int i = 0; i < 4; i++) {
                out.write(segment);
            }
            assertThrows(SocketTimeoutException.class, in::read, "32 KiB of 8 KiB writes wait in the buffer");
            out.flush();
            assertArrayEquals(repeat(segment, 4), in.readNBytes(4 * segment.length));

            // a full buffer goes, without a flush, when the next write does not fit
            int writes = CoalescingSocketFactory.BUFFER / segment.length;
            for (int i = 0; i <= writes; i++) {
                out.write(segment);
            }
            assertArrayEquals(repeat(segment, writes), in.readNBytes(writes * segment.length));
            assertThrows(SocketTimeoutException.class, in::read, "the last 8 KiB wait for the next flush");
        }
    }

    private static byte[] repeat(byte[] bytes, int times) {
        byte[] all = new byte[bytes.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(bytes, 0, all, i * bytes.length, bytes.length);
        }
        return all;
    }
}
