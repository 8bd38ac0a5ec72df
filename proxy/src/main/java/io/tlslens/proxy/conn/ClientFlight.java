package io.tlslens.proxy.conn;

import io.tlslens.inspector.wire.Alert;
import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.ClientHelloArrival;
import io.tlslens.inspector.wire.RecordListener;

/**
 * What a client's first records showed, whatever the mode: the first whole ClientHello and how it arrived
 * (size, records, reads), the latest one (a second ClientHello answers a HelloRetryRequest), and the first
 * bytes of a client that does not speak TLS. Filled by {@link #listener}; confined to the connection's event loop.
 */
public final class ClientFlight {
    /** What the mode does with the client's records beyond what every mode records here. */
    public interface Hooks {
        /** The first whole ClientHello: publish it (counted, seen for the compatibility view). */
        void firstHello(ClientHello hello);

        /** A plaintext alert from the client. */
        default void alert(Alert alert) {
        }

        /** Any record from the client (type and body length, bytes). */
        default void record(int contentType, int length) {
        }

        /** The client's records could not be decoded at {@code offset}. */
        default void malformed(long offset, String reason) {
        }
    }

    private ClientHello hello;
    private ClientHello last;
    private ClientHelloArrival arrival;
    private byte[] firstBytes;

    /**
     * @param hooks the mode's part
     * @return the listener of the client's direction that fills this flight and calls {@code hooks}
     */
    public RecordListener listener(Hooks hooks) {
        return new RecordListener() {
            @Override
            public void onClientHello(ClientHello h, ClientHelloArrival a) {
                last = h;
                if (hello == null) {
                    hello = h;
                    arrival = a;
                    hooks.firstHello(h);
                }
            }

            @Override
            public void onRecord(int contentType, int version, int length) {
                hooks.record(contentType, length);
            }

            @Override
            public void onAlert(Alert alert) {
                hooks.alert(alert);
            }

            @Override
            public void onNotTls(byte[] first) {
                firstBytes = first;
            }

            @Override
            public void onMalformed(long offset, String reason) {
                hooks.malformed(offset, reason);
            }
        };
    }

    /** @return the first whole ClientHello, or null */
    public ClientHello hello() {
        return hello;
    }

    /** @return the latest whole ClientHello (after a HelloRetryRequest, the second), or null */
    public ClientHello last() {
        return last;
    }

    /** @return how the first ClientHello arrived, or null */
    public ClientHelloArrival arrival() {
        return arrival;
    }

    /** @return the first bytes of a client that does not speak TLS, or null */
    public byte[] firstBytes() {
        return firstBytes;
    }
}
