package io.filehost.storage;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.security.MessageDigest;
import java.security.MessageDigestSpi;
import java.util.Arrays;

/**
 * The JDK's own MD5 and SHA-256 ({@code sun.security.provider.MD5}, {@code SHA2.SHA256}) with their running state
 * read and written through their fields: the JIT compiles their block functions to the CPU's instructions (SHA-256
 * with the SHA extensions), about 1.65 + 0.75 CPU s/GiB here against Bouncy Castle's 3.3 + 6.9. The fields are
 * {@code DigestBase.buffer/bufOfs/bytesProcessed} and {@code MD5.state} / {@code SHA2.state}, the same in JDK 21 and
 * 25; reading them needs {@code --add-opens java.base/sun.security.provider=ALL-UNNAMED} (given by ./dev, file-service's
 * image and the test JVMs). Without it, or if the fields ever change, {@link #UNAVAILABLE} says why and
 * {@link ResumableDigest} uses Bouncy Castle: a startup self-test compares a state round trip with a plain digest.
 */
final class JdkDigests {
    private static final String PACKAGE = "sun.security.provider.";
    private static final MethodHandle NEW_MD5;
    private static final MethodHandle NEW_SHA256;
    private static final MethodHandle UPDATE;
    private static final MethodHandle DIGEST;
    private static final VarHandle BUFFER;
    private static final VarHandle BUF_OFS;
    private static final VarHandle BYTES;
    private static final VarHandle MD5_STATE;
    private static final VarHandle SHA2_STATE;
    /** Why the JDK's digests cannot be used, or null when they can. */
    static final Throwable UNAVAILABLE;

    static {
        MethodHandle newMd5 = null;
        MethodHandle newSha256 = null;
        MethodHandle update = null;
        MethodHandle digest = null;
        VarHandle buffer = null;
        VarHandle bufOfs = null;
        VarHandle bytes = null;
        VarHandle md5State = null;
        VarHandle sha2State = null;
        Throwable unavailable = null;
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Class<?> base = Class.forName(PACKAGE + "DigestBase");
            Class<?> md5 = Class.forName(PACKAGE + "MD5");
            Class<?> sha2 = Class.forName(PACKAGE + "SHA2");
            Class<?> sha256 = Class.forName(PACKAGE + "SHA2$SHA256");
            MethodHandles.Lookup inBase = MethodHandles.privateLookupIn(base, lookup);
            newMd5 = MethodHandles.privateLookupIn(md5, lookup).findConstructor(md5, MethodType.methodType(void.class))
                    .asType(MethodType.methodType(MessageDigestSpi.class));
            newSha256 = MethodHandles.privateLookupIn(sha256, lookup)
                    .findConstructor(sha256, MethodType.methodType(void.class))
                    .asType(MethodType.methodType(MessageDigestSpi.class));
            update = inBase.findVirtual(base, "engineUpdate",
                            MethodType.methodType(void.class, byte[].class, int.class, int.class))
                    .asType(MethodType.methodType(void.class, MessageDigestSpi.class, byte[].class, int.class,
                            int.class));
            digest = inBase.findVirtual(base, "engineDigest", MethodType.methodType(byte[].class))
                    .asType(MethodType.methodType(byte[].class, MessageDigestSpi.class));
            buffer = inBase.findVarHandle(base, "buffer", byte[].class);
            bufOfs = inBase.findVarHandle(base, "bufOfs", int.class);
            bytes = inBase.findVarHandle(base, "bytesProcessed", long.class);
            md5State = MethodHandles.privateLookupIn(md5, lookup).findVarHandle(md5, "state", int[].class);
            sha2State = MethodHandles.privateLookupIn(sha2, lookup).findVarHandle(sha2, "state", int[].class);
        } catch (Throwable e) {
            unavailable = e;
        }
        NEW_MD5 = newMd5;
        NEW_SHA256 = newSha256;
        UPDATE = update;
        DIGEST = digest;
        BUFFER = buffer;
        BUF_OFS = bufOfs;
        BYTES = bytes;
        MD5_STATE = md5State;
        SHA2_STATE = sha2State;
        UNAVAILABLE = unavailable == null ? selfTest() : unavailable;
    }

    private JdkDigests() {
    }

    /** A fresh digest of {@code algorithm}, or one continuing from {@code state} (may be null). */
    static MessageDigestSpi start(DigestState.Algorithm algorithm, DigestState state) {
        MessageDigestSpi spi;
        try {
            spi = algorithm == DigestState.Algorithm.MD5 ? (MessageDigestSpi) NEW_MD5.invokeExact()
                    : (MessageDigestSpi) NEW_SHA256.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("cannot create the JDK's " + algorithm, e);
        }
        if (state != null) {
            int[] words = words(algorithm, spi);
            System.arraycopy(state.words(), 0, words, 0, words.length);
            byte[] buffer = (byte[]) BUFFER.get(spi);
            System.arraycopy(state.pending(), 0, buffer, 0, state.pending().length);
            BUF_OFS.set(spi, state.pending().length);
            BYTES.set(spi, state.bytes());
        }
        return spi;
    }

    static void update(MessageDigestSpi spi, byte[] bytes, int offset, int length) {
        try {
            UPDATE.invokeExact(spi, bytes, offset, length);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    static DigestState state(DigestState.Algorithm algorithm, MessageDigestSpi spi) {
        long bytes = (long) BYTES.get(spi);
        int pending = (int) BUF_OFS.get(spi);
        return new DigestState(algorithm, bytes, words(algorithm, spi).clone(),
                Arrays.copyOf((byte[]) BUFFER.get(spi), pending));
    }

    static byte[] finish(MessageDigestSpi spi) {
        try {
            return (byte[]) DIGEST.invokeExact(spi);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static int[] words(DigestState.Algorithm algorithm, MessageDigestSpi spi) {
        return (int[]) (algorithm == DigestState.Algorithm.MD5 ? MD5_STATE.get(spi) : SHA2_STATE.get(spi));
    }

    /** A state saved at an odd offset and continued in a new instance must give the plain digest of the bytes. */
    private static Throwable selfTest() {
        try {
            byte[] data = new byte[1000];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 31 + 7);
            }
            for (DigestState.Algorithm algorithm : DigestState.Algorithm.values()) {
                MessageDigestSpi first = start(algorithm, null);
                update(first, data, 0, 333);
                MessageDigestSpi second = start(algorithm, state(algorithm, first));
                update(second, data, 333, data.length - 333);
                String name = algorithm == DigestState.Algorithm.MD5 ? "MD5" : "SHA-256";
                if (!Arrays.equals(finish(second), MessageDigest.getInstance(name).digest(data))) {
                    return new IllegalStateException("the JDK's " + name + " state round trip gave another digest");
                }
            }
            return null;
        } catch (Throwable e) {
            return e;
        }
    }
}
