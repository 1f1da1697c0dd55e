package io.filehost.storage;

import io.filehost.storage.DigestState.Algorithm;
import org.bouncycastle.crypto.digests.EncodableDigest;
import org.bouncycastle.crypto.digests.GeneralDigest;
import org.bouncycastle.crypto.digests.MD5Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.jboss.logging.Logger;

import java.security.MessageDigestSpi;
import java.util.HexFormat;

/**
 * MD5 and SHA-256 of a content that arrives over many requests, possibly on different replicas: the running state
 * of both digests is saved between requests ({@link #md5State()}, {@link #sha256State()}, a {@link DigestState}) and
 * restored by the next one, so the whole content is never read back to hash it.
 * <p>
 * The hashing is the JDK's own ({@link JdkDigests}: CPU intrinsics, about a quarter of Bouncy Castle's cost) when the
 * JVM lets us read its digest state; otherwise Bouncy Castle's {@link EncodableDigest}s, logged once. Either reads
 * the states the other saved, and the Bouncy Castle encodings saved before {@link DigestState} existed.
 */
public abstract sealed class ResumableDigest {
    private static final Logger LOG = Logger.getLogger(ResumableDigest.class);
    /** Whether new digests use the JDK's implementation; decided once per JVM. */
    private static final boolean JDK = JdkDigests.UNAVAILABLE == null;

    static {
        if (JDK) {
            LOG.info("Resumable digests: the JDK's MD5 and SHA-256, their state saved between requests");
        } else {
            LOG.warnf("Resumable digests (tus uploads) fall back to Bouncy Castle, about 4x the CPU per byte: the JVM "
                    + "does not let us read the JDK's digest state (%s). Start it with --add-opens "
                    + "java.base/sun.security.provider=ALL-UNNAMED (./dev and file-service's image do).",
                    JdkDigests.UNAVAILABLE.toString());
        }
    }

    ResumableDigest() {
    }

    public static ResumableDigest start() {
        return JDK ? new Jdk(null, null) : new BouncyCastle(null, null);
    }

    /** Continues from states saved by {@link #md5State()} and {@link #sha256State()} (of either implementation). */
    public static ResumableDigest restore(byte[] md5State, byte[] sha256State) {
        DigestState md5 = DigestState.decode(Algorithm.MD5, md5State);
        DigestState sha256 = DigestState.decode(Algorithm.SHA256, sha256State);
        return JDK ? new Jdk(md5, sha256) : new BouncyCastle(md5, sha256);
    }

    /** Which implementation this JVM uses: "jdk" or "bouncycastle" (for the log and the tests). */
    public static String implementation() {
        return JDK ? "jdk" : "bouncycastle";
    }

    /** The Bouncy Castle implementation whatever the JVM allows (tests: the fallback's results). */
    static ResumableDigest bouncyCastle(byte[] md5State, byte[] sha256State) {
        return md5State == null ? new BouncyCastle(null, null) : new BouncyCastle(
                DigestState.decode(Algorithm.MD5, md5State), DigestState.decode(Algorithm.SHA256, sha256State));
    }

    public abstract void update(byte[] bytes, int offset, int length);

    public byte[] md5State() {
        return state(Algorithm.MD5).encode();
    }

    public byte[] sha256State() {
        return state(Algorithm.SHA256).encode();
    }

    abstract DigestState state(Algorithm algorithm);

    /** The hex digests of everything seen; ends this instance (the saved states stay valid). */
    public final String[] finishHex() {
        byte[][] digests = finish();
        return new String[]{HexFormat.of().formatHex(digests[0]), HexFormat.of().formatHex(digests[1])};
    }

    abstract byte[][] finish();

    private static final class Jdk extends ResumableDigest {
        private final MessageDigestSpi md5;
        private final MessageDigestSpi sha256;

        Jdk(DigestState md5, DigestState sha256) {
            this.md5 = JdkDigests.start(Algorithm.MD5, md5);
            this.sha256 = JdkDigests.start(Algorithm.SHA256, sha256);
        }

        @Override
        public void update(byte[] bytes, int offset, int length) {
            JdkDigests.update(md5, bytes, offset, length);
            JdkDigests.update(sha256, bytes, offset, length);
        }

        @Override
        DigestState state(Algorithm algorithm) {
            return JdkDigests.state(algorithm, algorithm == Algorithm.MD5 ? md5 : sha256);
        }

        @Override
        byte[][] finish() {
            return new byte[][]{JdkDigests.finish(md5), JdkDigests.finish(sha256)};
        }
    }

    private static final class BouncyCastle extends ResumableDigest {
        /** The last byte of an encoded state (the digest's CryptoServicePurpose), as a new digest writes it. */
        private static final byte PURPOSE;

        static {
            byte[] fresh = new SHA256Digest().getEncodedState();
            PURPOSE = fresh[fresh.length - 1];
        }

        private final MD5Digest md5;
        private final SHA256Digest sha256;

        BouncyCastle(DigestState md5, DigestState sha256) {
            this.md5 = md5 == null ? new MD5Digest() : new MD5Digest(md5.toBouncyCastle(PURPOSE));
            this.sha256 = sha256 == null ? new SHA256Digest() : new SHA256Digest(sha256.toBouncyCastle(PURPOSE));
        }

        @Override
        public void update(byte[] bytes, int offset, int length) {
            md5.update(bytes, offset, length);
            sha256.update(bytes, offset, length);
        }

        @Override
        DigestState state(Algorithm algorithm) {
            GeneralDigest digest = algorithm == Algorithm.MD5 ? md5 : sha256;
            return DigestState.decode(algorithm, ((EncodableDigest) digest).getEncodedState());
        }

        @Override
        byte[][] finish() {
            byte[] m = new byte[md5.getDigestSize()];
            md5.doFinal(m, 0);
            byte[] s = new byte[sha256.getDigestSize()];
            sha256.doFinal(s, 0);
            return new byte[][]{m, s};
        }
    }
}
