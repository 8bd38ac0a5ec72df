package io.tlslens.proxy.backend.probe;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Optional;

/**
 * Fresh TLS 1.3 key_share public values (RFC 8446 §4.2.8.2) for the groups the JDK can generate: x25519, x448
 * and the NIST curves. The private halves are thrown away: the probe never finishes a handshake.
 */
final class KeyShares {
    private KeyShares() {
    }

    static final int SECP256R1 = 0x0017;
    static final int SECP384R1 = 0x0018;
    static final int SECP521R1 = 0x0019;
    static final int X25519 = 0x001d;
    static final int X448 = 0x001e;

    /** @return the public value for {@code group}, empty when the JDK cannot make one for it */
    static Optional<byte[]> of(int group) {
        try {
            return switch (group) {
                case X25519 -> Optional.of(xdh("X25519", 32));
                case X448 -> Optional.of(xdh("X448", 56));
                case SECP256R1 -> Optional.of(ec("secp256r1", 32));
                case SECP384R1 -> Optional.of(ec("secp384r1", 48));
                case SECP521R1 -> Optional.of(ec("secp521r1", 66));
                default -> Optional.empty();
            };
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /** The raw u-coordinate: the last {@code size} bytes of the X.509 SubjectPublicKeyInfo (RFC 8410). */
    private static byte[] xdh(String curve, int size) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("XDH");
        g.initialize(new NamedParameterSpec(curve));
        byte[] spki = g.generateKeyPair().getPublic().getEncoded();
        return Arrays.copyOfRange(spki, spki.length - size, spki.length);
    }

    /** An uncompressed point: 0x04 || X || Y, each coordinate left-padded to {@code size} bytes (RFC 8446 §4.2.8.2). */
    private static byte[] ec(String curve, int size) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        ECPublicKey k = (ECPublicKey) g.generateKeyPair().getPublic();
        byte[] out = new byte[1 + 2 * size];
        out[0] = 4;
        put(k.getW().getAffineX(), out, 1, size);
        put(k.getW().getAffineY(), out, 1 + size, size);
        return out;
    }

    private static void put(BigInteger v, byte[] out, int off, int size) {
        byte[] b = v.toByteArray();
        int n = Math.min(b.length, size);
        System.arraycopy(b, b.length - n, out, off + size - n, n);
    }
}
