package io.filehost.importworker.fetch;

import java.net.InetAddress;

/** A checked endpoint: connect to {@code address}, speak to {@code host} (Host header, SNI, certificate name). */
public record Target(String scheme, String host, int port, InetAddress address, boolean hostIsLiteral) {
    public boolean https() {
        return "https".equals(scheme);
    }

    /** Host header value: the port is omitted when it is the scheme's default. */
    public String hostHeader() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        boolean defaultPort = https() ? port == 443 : port == 80;
        return defaultPort ? h : h + ":" + port;
    }
}
