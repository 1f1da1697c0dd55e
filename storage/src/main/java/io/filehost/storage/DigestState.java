package io.filehost.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The running state of an MD5 or SHA-256 computation, independent of the implementation that computed it: how many
 * bytes were hashed, the chaining words (MD5's A..D, SHA-256's H0..H7) after the last full 64-byte block, and the
 * bytes of the block not yet full. Any implementation of the algorithm can continue from it.
 * <p>
 * Stored form ({@link #encode()}): {@code "FHDS"}, four 0xFF bytes, a version byte (1), the algorithm (0 = MD5,
 * 1 = SHA-256), the byte count (8 bytes), the words (4 bytes each, big-endian), the pending bytes. States saved before
 * this format are Bouncy Castle's {@code EncodableDigest} encodings; {@link #decode} reads those too, so uploads in
 * progress survive the deploy. The four 0xFF bytes are what tells them apart for certain: there, bytes 4..7 hold the
 * partial-word offset (0..3) as a big-endian int.
 * <p>
 * Hand-written because no library offers it: the JDK's MessageDigest cannot export its state at all, Bouncy Castle's
 * encoding is tied to Bouncy Castle's (5x slower, no CPU extensions) implementation.
 */
public record DigestState(Algorithm algorithm, long bytes, int[] words, byte[] pending) {
    private static final byte[] MAGIC = {'F', 'H', 'D', 'S', -1, -1, -1, -1};
    private static final int VERSION = 1;
    private static final int HEADER = MAGIC.length + 2 + 8;
    static final int BLOCK = 64;

    public enum Algorithm {
        MD5(4, ByteOrder.LITTLE_ENDIAN), SHA256(8, ByteOrder.BIG_ENDIAN);

        final int words;
        /** How the algorithm reads a block's bytes as words (Bouncy Castle keeps pending full words as ints). */
        final ByteOrder order;

        Algorithm(int words, ByteOrder order) {
            this.words = words;
            this.order = order;
        }
    }

    public DigestState {
        if (words.length != algorithm.words || bytes < 0 || pending.length != (int) (bytes % BLOCK)) {
            throw new IllegalArgumentException("inconsistent " + algorithm + " state: " + bytes + " bytes, "
                    + words.length + " words, " + pending.length + " pending");
        }
    }

    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(HEADER + words.length * 4 + pending.length);
        out.put(MAGIC).put((byte) VERSION).put((byte) algorithm.ordinal()).putLong(bytes);
        for (int word : words) {
            out.putInt(word);
        }
        return out.put(pending).array();
    }

    /** Reads a state saved by {@link #encode()} or, from before it, by Bouncy Castle's {@code getEncodedState()}. */
    public static DigestState decode(Algorithm algorithm, byte[] encoded) {
        if (encoded.length >= HEADER && Arrays.equals(encoded, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            ByteBuffer in = ByteBuffer.wrap(encoded, MAGIC.length, encoded.length - MAGIC.length);
            int version = in.get();
            int stored = in.get();
            if (version != VERSION || stored != algorithm.ordinal()) {
                throw new IllegalArgumentException("not a version " + VERSION + " " + algorithm + " state (version "
                        + version + ", algorithm " + stored + ")");
            }
            long bytes = in.getLong();
            int[] words = new int[algorithm.words];
            for (int i = 0; i < words.length; i++) {
                words[i] = in.getInt();
            }
            byte[] pending = new byte[in.remaining()];
            in.get(pending);
            return new DigestState(algorithm, bytes, words, pending);
        }
        return fromBouncyCastle(algorithm, encoded);
    }

    /*
     * Bouncy Castle's encoding (GeneralDigest.populateState + MD5Digest/SHA256Digest.getEncodedState, big-endian):
     * [0..4) the partial word's bytes, [4..8) their count, [8..16) the byte count, then the chaining words, the count
     * of pending full words (xOff), those words, and one byte of CryptoServicePurpose.
     */
    private static DigestState fromBouncyCastle(Algorithm algorithm, byte[] encoded) {
        ByteBuffer in = ByteBuffer.wrap(encoded);
        int partial = in.getInt(4);
        long bytes = in.getLong(8);
        int[] words = new int[algorithm.words];
        in.position(16);
        for (int i = 0; i < words.length; i++) {
            words[i] = in.getInt();
        }
        int fullWords = in.getInt();
        if (partial < 0 || partial > 3 || fullWords < 0 || fullWords > 15) {
            throw new IllegalArgumentException("not a Bouncy Castle " + algorithm + " state");
        }
        ByteBuffer pending = ByteBuffer.allocate(fullWords * 4 + partial).order(algorithm.order);
        for (int i = 0; i < fullWords; i++) {
            pending.putInt(in.getInt());
        }
        pending.put(encoded, 0, partial);
        return new DigestState(algorithm, bytes, words, pending.array());
    }

    /** Bouncy Castle's encoding of this state ({@code purpose}: the trailing byte, as a new digest writes it). */
    byte[] toBouncyCastle(byte purpose) {
        int fullWords = pending.length / 4;
        int partial = pending.length % 4;
        int wordsAt = 16 + algorithm.words * 4;
        ByteBuffer out = ByteBuffer.allocate(wordsAt + 4 + fullWords * 4 + 1);
        out.put(pending, fullWords * 4, partial).putInt(4, partial).putLong(8, bytes).position(16);
        for (int word : words) {
            out.putInt(word);
        }
        out.putInt(fullWords);
        ByteBuffer source = ByteBuffer.wrap(pending).order(algorithm.order);
        for (int i = 0; i < fullWords; i++) {
            out.putInt(source.getInt(i * 4));
        }
        return out.put(purpose).array();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DigestState s && algorithm == s.algorithm && bytes == s.bytes
                && Arrays.equals(words, s.words) && Arrays.equals(pending, s.pending);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bytes) * 31 + Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        return algorithm + " state after " + bytes + " bytes";
    }
}
