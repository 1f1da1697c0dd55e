package io.filehost.folderservice.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback port standing for "the Kafka broker" of a test profile. Closed, it refuses connections exactly like a dead
 * broker; opened, it forwards to the real broker, so clients bootstrap through it and then reach the broker it
 * advertises. The shared broker itself is never stopped: other engineers' tests use it.
 */
public final class KafkaDoor implements AutoCloseable {
    private final int port;
    private final String brokerHost;
    private final int brokerPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private ServerSocket server;

    public KafkaDoor(int port, String brokerHost, int brokerPort) {
        this.port = port;
        this.brokerHost = brokerHost;
        this.brokerPort = brokerPort;
    }

    /** A free loopback port, released at once so the door can open on it later. */
    public static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized void open() throws IOException {
        server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket broker = new Socket(brokerHost, brokerPort);
                    sockets.add(client);
                    sockets.add(broker);
                    pump(client, broker);
                    pump(broker, client);
                } catch (IOException e) {
                    // closed while accepting, or the broker refused: the client sees a dropped connection
                }
            }
        }, "kafka-door");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "kafka-door-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            closeQuietly(server);
        }
        sockets.forEach(KafkaDoor::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // nothing left to do
        }
    }
}
