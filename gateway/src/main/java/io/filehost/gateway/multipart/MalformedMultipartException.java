package io.filehost.gateway.multipart;

/** The body does not follow RFC 7578 / RFC 2046 closely enough to be read. No stack trace: it is the client's fault. */
public class MalformedMultipartException extends RuntimeException {
    public MalformedMultipartException(String message) {
        super(message, null, false, false);
    }
}
