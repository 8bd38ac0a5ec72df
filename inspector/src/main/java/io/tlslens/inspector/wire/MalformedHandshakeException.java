package io.tlslens.inspector.wire;

/** A handshake message that cannot be decoded: truncated, overrunning or with an inconsistent length. */
public final class MalformedHandshakeException extends Exception {
    private static final long serialVersionUID = 1L;
    private final long offset;
    private final String reason;

    /**
     * @param offset byte offset of the problem, relative to the decoded buffer (see the decoder's docs)
     * @param reason short human-readable reason, e.g. "cipher_suites length 7 is odd"
     */
    public MalformedHandshakeException(long offset, String reason) {
        super(reason + " at offset " + offset);
        this.offset = offset;
        this.reason = reason;
    }

    /** @return byte offset of the problem within the decoded buffer */
    public long offset() {
        return offset;
    }

    /** @return the reason without the offset */
    public String reason() {
        return reason;
    }
}
