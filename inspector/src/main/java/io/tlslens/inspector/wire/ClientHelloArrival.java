package io.tlslens.inspector.wire;

/**
 * How one ClientHello came over the wire, beside the decoded {@link ClientHello}: its size and how it was
 * split. A post-quantum key share (X25519MLKEM768) makes a hello of 1.5–2 KB that spans several TCP
 * segments and sometimes several records, which is what a path-MTU problem catches first.
 *
 * @param sizeBytes the handshake message's size, its 4-byte header included (an SSLv2-compatible hello:
 *                  the record's body length)
 * @param records   TLS records that carried bytes of it (1 when it fit one record)
 * @param tcpReads  reads it arrived in: from the read holding the first byte of its first record to the read
 *                  holding its last byte (1 when one read held it all)
 */
public record ClientHelloArrival(int sizeBytes, int records, int tcpReads) {
    /**
     * @throws IllegalArgumentException when a count is below 1 or the size is negative
     */
    public ClientHelloArrival {
        if (sizeBytes < 0 || records < 1 || tcpReads < 1) {
            throw new IllegalArgumentException("size " + sizeBytes + ", records " + records + ", reads " + tcpReads);
        }
    }
}
