package io.filehost.importworker.fetch;

import java.io.IOException;

/** The server broke HTTP framing. */
final class ProtocolViolation extends IOException {
    ProtocolViolation(String what) {
        super(what);
    }
}
