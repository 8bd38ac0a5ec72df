package io.tlslens.inspector.wire;

/**
 * TLS record content types (RFC 8446 §5.1, RFC 5246 §6.2.1; IANA "TLS ContentType" registry).
 */
public final class ContentType {
    private ContentType() {
    }

    /** change_cipher_spec (20). */
    public static final int CHANGE_CIPHER_SPEC = 20;
    /** alert (21). */
    public static final int ALERT = 21;
    /** handshake (22). */
    public static final int HANDSHAKE = 22;
    /** application_data (23); in TLS 1.3 every encrypted record has this outer type. */
    public static final int APPLICATION_DATA = 23;
}
