package io.tlslens.inspector.fingerprint;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Per-thread working memory of {@link Ja3} and {@link Ja4}: the two digests (reset after every use), a text buffer
 * for the canonical strings, one for the result, and an int array for sorting codes. Getting a digest from
 * {@link MessageDigest#getInstance} costs more than a whole fingerprint, hence the reuse. A fingerprint call
 * takes the scratch, uses it and calls nothing that could take it again, so one per thread is enough. Buffers
 * grown by a huge ClientHello are dropped on the next use rather than kept.
 */
final class Scratch {
    private static final int RETAIN_LIMIT = 4096;
    private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);

    final MessageDigest md5 = digest("MD5");
    final MessageDigest sha256 = digest("SHA-256");
    /** Receives {@link #md5} and {@link #sha256} results (room for the longer of the two). */
    final byte[] digestOut = new byte[32];
    final AsciiText text = new AsciiText(512, RETAIN_LIMIT);
    final AsciiText result = new AsciiText(64, RETAIN_LIMIT);
    private int[] codes = new int[64];

    private Scratch() {
    }

    /** @return this thread's scratch */
    static Scratch get() {
        return PER_THREAD.get();
    }

    /** @return an int array of at least {@code n} elements, contents undefined */
    int[] codes(int n) {
        if (codes.length < n || codes.length > RETAIN_LIMIT && n <= 64) {
            codes = new int[Math.max(n, 64)];
        }
        return codes;
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every JDK", e);
        }
    }
}
