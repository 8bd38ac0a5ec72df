package io.tlslens.inspector.wire;

import io.tlslens.inspector.registry.TlsRegistry;

/**
 * A TLS alert (RFC 8446 §6, RFC 5246 §7.2).
 *
 * @param level       1 = warning, 2 = fatal
 * @param description the AlertDescription code, e.g. 40 handshake_failure
 */
public record Alert(int level, int description) {
    /** AlertLevel fatal (2). */
    public static final int FATAL = 2;
    /** missing_extension (109): a required extension, such as {@code server_name}, was not sent. */
    public static final int MISSING_EXTENSION = 109;
    /** unrecognized_name (112): no server is known by the {@code server_name} sent. */
    public static final int UNRECOGNIZED_NAME = 112;
    /** no_application_protocol (120): the server supports none of the client's ALPN protocols (RFC 7301 §3.2). */
    public static final int NO_APPLICATION_PROTOCOL = 120;

    /** @return a fatal alert of the given description */
    public static Alert fatal(int description) {
        return new Alert(FATAL, description);
    }

    /**
     * @return this alert as one plaintext TLS 1.2-framed record (7 bytes: content type alert, version 0x0303,
     * length 2, level, description), as sent before any key is agreed (RFC 8446 §5.1, §6)
     */
    public byte[] plaintextRecord() {
        return new byte[] {ContentType.ALERT, 3, 3, 0, 2, (byte) level, (byte) description};
    }

    /** @return true when {@code level == 2} (fatal) */
    public boolean fatal() {
        return level == FATAL;
    }

    /** @return the IANA description name ({@link TlsRegistry#alertName(int)}), e.g. {@code unknown_ca} */
    public String descriptionName() {
        return TlsRegistry.alertName(description);
    }
}
