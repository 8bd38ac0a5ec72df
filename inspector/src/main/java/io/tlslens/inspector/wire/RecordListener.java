package io.tlslens.inspector.wire;

/**
 * Events from a {@link RecordScanner}. All methods default to no-op and are called on the thread
 * that calls {@code feed}. Byte arrays handed over belong to the listener (never reused by the scanner).
 */
public interface RecordListener {
    /**
     * A complete record (header and body) was seen, including encrypted ones; called when its last
     * byte arrives, so handshake messages it completes are reported before it.
     *
     * @param contentType record content type (RFC 8446 §5.1): 20..24; 22 for an SSLv2-compatible hello
     * @param version     record-layer version (0x0002 for an SSLv2-compatible hello)
     * @param length      body length in bytes (without the 5-byte header)
     */
    default void onRecord(int contentType, int version, int length) {
    }

    /** A ClientHello was decoded (also each later one, e.g. the second ClientHello after a HelloRetryRequest). */
    default void onClientHello(ClientHello hello) {
    }

    /**
     * A ClientHello was decoded, with how it arrived; the scanner calls this one, which by default calls
     * {@link #onClientHello(ClientHello)}.
     *
     * @param hello   the decoded hello
     * @param arrival its size and the records and reads it spanned
     */
    default void onClientHello(ClientHello hello, ClientHelloArrival arrival) {
        onClientHello(hello);
    }

    /**
     * A plaintext handshake message was reassembled (ClientHello = 1, ServerHello = 2, Certificate = 11 …).
     *
     * @param type handshake type (RFC 8446 §4)
     * @param body message body without the 4-byte handshake header
     */
    default void onHandshakeMessage(int type, byte[] body) {
    }

    /** A plaintext alert: a type-21 record of length 2 seen before this direction turned encrypted. */
    default void onAlert(Alert alert) {
    }

    /** A change_cipher_spec record was seen. */
    default void onChangeCipherSpec() {
    }

    /** An application_data (type 23) record was seen; {@code length} is its body length in bytes. */
    default void onApplicationData(int length) {
    }

    /** The stream does not start with a TLS record or an SSLv2 hello; {@code firstBytes} holds up to 16 of its first bytes. */
    default void onNotTls(byte[] firstBytes) {
    }

    /**
     * Undecodable input; the scanner stops after this call.
     *
     * @param offset stream offset in bytes (from the first byte fed) where the problem was found
     * @param reason short description
     */
    default void onMalformed(long offset, String reason) {
    }
}
