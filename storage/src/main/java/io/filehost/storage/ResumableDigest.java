package io.filehost.storage;

import org.bouncycastle.crypto.digests.EncodableDigest;
import org.bouncycastle.crypto.digests.MD5Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;

import java.util.HexFormat;

/**
 * MD5 and SHA-256 of a content that arrives over many requests, possibly on different replicas: the running state
 * of both digests is saved between requests ({@link #md5State()}, {@link #sha256State()}) and restored by the next
 * one, so the whole content is never read back to hash it. The JDK's MessageDigest cannot export its state;
 * Bouncy Castle's digests implement {@link EncodableDigest} for exactly this.
 */
public final class ResumableDigest {
    private final MD5Digest md5;
    private final SHA256Digest sha256;

    private ResumableDigest(MD5Digest md5, SHA256Digest sha256) {
        this.md5 = md5;
        this.sha256 = sha256;
    }

    public static ResumableDigest start() {
        return new ResumableDigest(new MD5Digest(), new SHA256Digest());
    }

    public static ResumableDigest restore(byte[] md5State, byte[] sha256State) {
        return new ResumableDigest(new MD5Digest(md5State), new SHA256Digest(sha256State));
    }

    public void update(byte[] bytes, int offset, int length) {
        md5.update(bytes, offset, length);
        sha256.update(bytes, offset, length);
    }

    public byte[] md5State() {
        return ((EncodableDigest) md5).getEncodedState();
    }

    public byte[] sha256State() {
        return ((EncodableDigest) sha256).getEncodedState();
    }

    /** The hex digests of everything seen; ends this instance (the saved states stay valid). */
    public String[] finishHex() {
        byte[] m = new byte[md5.getDigestSize()];
        md5.doFinal(m, 0);
        byte[] s = new byte[sha256.getDigestSize()];
        sha256.doFinal(s, 0);
        return new String[]{HexFormat.of().formatHex(m), HexFormat.of().formatHex(s)};
    }
}
