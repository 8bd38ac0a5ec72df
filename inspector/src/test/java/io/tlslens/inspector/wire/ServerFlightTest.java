package io.tlslens.inspector.wire;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tlslens.inspector.wire.TestHellos.concat;
import static io.tlslens.inspector.wire.TestHellos.ext;
import static io.tlslens.inspector.wire.TestHellos.u16Vector;
import static io.tlslens.inspector.wire.TestHellos.u16s;
import static org.assertj.core.api.Assertions.assertThat;

/** HelloRetryRequest and resumption as the server's flight shows them; the ClientHello's resumption offer. */
class ServerFlightTest {
    /** A ServerHello body with these extensions. */
    static byte[] serverHello(boolean hrr, byte[]... extensions) {
        byte[] random = hrr ? ServerHelloDecoder.HRR_RANDOM : new byte[32];
        byte[] base = concat(u16s(0x0303), random, new byte[] {0}, u16s(0x1301), new byte[] {0});
        return concat(base, u16Vector(concat(extensions)));
    }

    static final byte[] TLS13 = ext(43, u16s(0x0304));

    @Test
    void helloRetryRequestNamesTheGroupAskedFor() throws Exception {
        ServerFlight f = new ServerFlight();
        ServerHello hrr = f.handshakeMessage(2, serverHello(true, TLS13, ext(51, u16s(24))));
        assertThat(hrr.helloRetryRequest()).isTrue();
        assertThat(hrr.keyShareGroup()).isEqualTo(24); // secp384r1
        assertThat(f.helloRetryRequest()).isTrue();
        assertThat(f.helloRetryGroup()).isEqualTo(24);
        assertThat(f.resumed()).isEqualTo(ServerFlight.Resumed.UNKNOWN);
        // then the real ServerHello with a secp384r1 share, no pre_shared_key: a full handshake
        f.handshakeMessage(2, serverHello(false, TLS13, ext(51, concat(u16s(24, 97), new byte[97]))));
        assertThat(f.serverHello().keyShareGroup()).isEqualTo(24);
        assertThat(f.resumed()).isEqualTo(ServerFlight.Resumed.NO);
    }

    @Test
    void tls13ServerHelloWithPreSharedKeyIsResumed() throws Exception {
        ServerFlight f = new ServerFlight();
        f.handshakeMessage(2, serverHello(false, TLS13, ext(51, concat(u16s(29, 32), new byte[32])), ext(41, u16s(0))));
        assertThat(f.serverHello().preSharedKeyAccepted()).isTrue();
        assertThat(f.resumed()).isEqualTo(ServerFlight.Resumed.YES);
        assertThat(f.helloRetryRequest()).isFalse();
        assertThat(f.helloRetryGroup()).isEqualTo(-1);
    }

    @Test
    void tls12AbbreviatedHandshakeIsResumedAndAFullOneIsNot() throws Exception {
        ServerFlight resumed = new ServerFlight();
        resumed.handshakeMessage(2, serverHello(false, ext(0xff01, new byte[] {0})));
        assertThat(resumed.resumed()).isEqualTo(ServerFlight.Resumed.UNKNOWN);
        resumed.handshakeMessage(4, new byte[10]); // NewSessionTicket may come before the ChangeCipherSpec
        resumed.changeCipherSpec();
        assertThat(resumed.resumed()).isEqualTo(ServerFlight.Resumed.YES);

        ServerFlight full = new ServerFlight();
        full.handshakeMessage(2, serverHello(false));
        full.handshakeMessage(11, new byte[] {0, 0, 0});
        full.handshakeMessage(14, new byte[0]);
        full.changeCipherSpec(); // the server's ChangeCipherSpec at the end of a full handshake
        assertThat(full.resumed()).isEqualTo(ServerFlight.Resumed.NO);
    }

    @Test
    void clientHelloResumptionOffer() throws Exception {
        byte[] sid = new byte[32];
        // TLS 1.2-only client with a session ID: an attempt
        ClientHello withId = ClientHelloDecoder.decode(concat(u16s(0x0303), new byte[32], new byte[] {32}, sid,
                u16s(2, 0xc02f), new byte[] {1, 0}), 0x0301);
        assertThat(withId.session()).isEqualTo(new ClientHello.Session(32, -1));
        assertThat(withId.offersResumption()).isTrue();
        // TLS 1.3 client with the compatibility-mode session ID and an empty ticket extension: not an attempt
        byte[] exts = concat(ext(43, new byte[] {4, 3, 4, 3, 3}), ext(35, new byte[0]));
        ClientHello compat = ClientHelloDecoder.decode(concat(u16s(0x0303), new byte[32], new byte[] {32}, sid,
                u16s(2, 0x1301), new byte[] {1, 0}, u16Vector(exts)), 0x0301);
        assertThat(compat.session()).isEqualTo(new ClientHello.Session(32, 0));
        assertThat(compat.offersResumption()).isFalse();
        // a non-empty ticket: an attempt
        byte[] ticketExts = concat(ext(43, new byte[] {4, 3, 4, 3, 3}), ext(35, new byte[100]));
        ClientHello ticket = ClientHelloDecoder.decode(concat(u16s(0x0303), new byte[32], new byte[] {0},
                u16s(2, 0x1301), new byte[] {1, 0}, u16Vector(ticketExts)), 0x0301);
        assertThat(ticket.offersResumption()).isTrue();
        // pre_shared_key: an attempt
        ClientHello psk = new ClientHello(0x0301, 0x0303, List.of(0x1301), List.of(43, 41), null, List.of(), List.of(0x0304),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(1), false, false, false, false);
        assertThat(psk.offersResumption()).isTrue();
        // the recorded openssl hello (a fresh session): no attempt
        assertThat(Fixtures.clientHello("openssl_tls13").offersResumption()).isFalse();
    }
}
