package io.filehost.fileservice.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * S3 that can be taken down and brought back without touching the shared S3: the service under test talks to S3
 * through this TCP relay (quarkus.minio.port), and {@link #down()} closes the relay's port and every connection
 * through it, as a dying S3 would; {@link #up()} opens the same port again.
 */
public class S3Switch implements QuarkusTestResourceLifecycleManager {
    private static final int S3_PORT = 9000;
    private static final Set<Socket> OPEN = ConcurrentHashMap.newKeySet();
    private static volatile ServerSocket server;
    private static volatile int port;

    @Override
    public Map<String, String> start() {
        try {
            listen(0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("quarkus.minio.port", Integer.toString(port));
    }

    @Override
    public void stop() {
        down();
    }

    /** S3 goes away: nothing listens any more, and what was connected is cut. */
    public static synchronized void down() {
        try {
            if (server != null) {
                server.close();
                server = null;
            }
        } catch (IOException ignored) {
            // closed anyway
        }
        for (Socket socket : OPEN) {
            closeQuietly(socket);
        }
        OPEN.clear();
    }

    /** S3 is back on the same port. */
    public static synchronized void up() throws IOException {
        if (server == null) {
            listen(port);
        }
    }

    private static void listen(int onPort) throws IOException {
        ServerSocket socket = new ServerSocket(onPort, 50, InetAddress.getLoopbackAddress());
        socket.setReuseAddress(true);
        server = socket;
        port = socket.getLocalPort();
        Thread.ofVirtual().start(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    Socket s3 = new Socket(InetAddress.getLoopbackAddress(), S3_PORT);
                    OPEN.add(client);
                    OPEN.add(s3);
                    pump(client, s3);
                    pump(s3, client);
                } catch (IOException e) {
                    // closed by down(), or S3 itself refused: the client sees its connection fail
                }
            }
        });
    }

    private static void pump(Socket from, Socket to) {
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException ignored) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                OPEN.remove(from);
                OPEN.remove(to);
            }
        });
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
