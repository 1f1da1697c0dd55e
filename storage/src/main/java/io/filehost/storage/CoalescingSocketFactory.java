package io.filehost.storage;

import javax.net.SocketFactory;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Plain sockets whose output is buffered, for the part uploads' HTTP client ({@link PartUploadClient}).
 * <p>
 * okio, under OkHttp, hands a request body to the socket one segment per {@code OutputStream.write}
 * ({@code okio.OutputStreamSink.write}: at most 8 KiB each), and each is a send system call: 131,072 of them per GiB
 * uploaded. Through this buffer the same bytes reach the kernel in {@value #BUFFER}-byte writes, for one more memory
 * copy in user space. OkHttp flushes its sink when the request is written, which flushes this buffer, so nothing
 * waits in it. Only for http: on https the bytes go through the TLS socket's own records first, and whether it flushes
 * the layer below at every handshake step is not this class' business.
 * <p>
 * Hand-written because neither OkHttp nor okio has a setting for the size of their socket writes.
 */
final class CoalescingSocketFactory extends SocketFactory {
    static final int BUFFER = 256 * 1024;

    @Override
    public Socket createSocket() {
        return new CoalescingSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket socket = new CoalescingSocket();
        socket.bind(new InetSocketAddress(localHost, localPort));
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        Socket socket = new CoalescingSocket();
        socket.bind(new InetSocketAddress(localAddress, localPort));
        socket.connect(new InetSocketAddress(address, port));
        return socket;
    }

    private static Socket connected(InetSocketAddress address) throws IOException {
        Socket socket = new CoalescingSocket();
        socket.connect(address);
        return socket;
    }

    private static final class CoalescingSocket extends Socket {
        private OutputStream out;

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new BufferedOutputStream(super.getOutputStream(), BUFFER);
            }
            return out;
        }
    }
}
