package io.tlslens.inspector.wire;

import static io.tlslens.inspector.wire.TestHellos.concat;
import static io.tlslens.inspector.wire.TestHellos.handshake;
import static io.tlslens.inspector.wire.TestHellos.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RecordScannerTest {

    /** Records every event as a string, plus the decoded objects. */
    static final class Events implements RecordListener {
        final List<String> log = new ArrayList<>();
        final List<ClientHello> hellos = new ArrayList<>();
        final List<ClientHelloArrival> arrivals = new ArrayList<>();
        final List<Alert> alerts = new ArrayList<>();
        final List<Integer> handshakeTypes = new ArrayList<>();
        byte[] notTls;
        long malformedAt = -1;
        String malformedReason;

        @Override
        public void onRecord(int contentType, int version, int length) {
            log.add("record " + contentType + " " + Integer.toHexString(version) + " " + length);
        }

        @Override
        public void onClientHello(ClientHello hello) {
            log.add("clientHello");
            hellos.add(hello);
        }

        @Override
        public void onClientHello(ClientHello hello, ClientHelloArrival arrival) {
            arrivals.add(arrival);
            onClientHello(hello);
        }

        @Override
        public void onHandshakeMessage(int type, byte[] body) {
            log.add("handshake " + type + " " + body.length);
            handshakeTypes.add(type);
        }

        @Override
        public void onAlert(Alert alert) {
            log.add("alert " + alert.descriptionName());
            alerts.add(alert);
        }

        @Override
        public void onChangeCipherSpec() {
            log.add("ccs");
        }

        @Override
        public void onApplicationData(int length) {
            log.add("appdata " + length);
        }

        @Override
        public void onNotTls(byte[] firstBytes) {
            log.add("notTls");
            notTls = firstBytes;
        }

        @Override
        public void onMalformed(long offset, String reason) {
            log.add("malformed " + offset + " " + reason);
            malformedAt = offset;
            malformedReason = reason;
        }
    }

    static String[] fixtures() {
        return Fixtures.NAMES;
    }

    static Events scanWhole(byte[] stream) {
        Events ev = new Events();
        new RecordScanner(ev).feed(stream, 0, stream.length);
        return ev;
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void sameClientHelloWhateverTheSplit(String name) throws Exception {
        byte[] stream = Fixtures.stream(name);
        ClientHello expected = ClientHelloDecoderTest.decode(name);

        Events whole = scanWhole(stream);
        assertThat(whole.hellos).containsExactly(expected);
        assertThat(whole.log).containsExactly("handshake 1 " + (stream.length - 9), "clientHello",
                "record 22 " + Integer.toHexString(expected.recordVersion()) + " " + (stream.length - 5));

        Events bytewise = new Events();
        RecordScanner s = new RecordScanner(bytewise);
        for (int i = 0; i < stream.length; i++) {
            assertThat(s.clientHelloSeen()).isFalse();
            s.feed(stream, i, 1);
            if (i < stream.length - 1) {
                assertThat(s.partialRecordPending()).isTrue();
                assertThat(s.pendingRecordBytes()).isEqualTo(i + 1);
                assertThat(s.expectedRecordBytes()).isEqualTo(i + 1 < 5 ? -1 : stream.length);
            }
        }
        assertThat(bytewise.log).isEqualTo(whole.log);
        assertThat(bytewise.hellos).containsExactly(expected);
        assertThat(s.clientHelloSeen()).isTrue();
        assertThat(s.partialRecordPending()).isFalse();
        assertThat(s.expectedRecordBytes()).isEqualTo(-1);
        assertThat(s.bytesSeen()).isEqualTo(stream.length);

        Random rnd = new Random(name.hashCode());
        for (int round = 0; round < 200; round++) {
            Events ev = new Events();
            RecordScanner r = new RecordScanner(ev);
            int i = 0;
            while (i < stream.length) {
                int n = Math.min(stream.length - i, 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 200));
                // feed from an offset inside a larger array, to check off/len handling
                byte[] big = new byte[n + 7];
                System.arraycopy(stream, i, big, 3, n);
                r.feed(big, 3, n);
                i += n;
            }
            assertThat(ev.log).isEqualTo(whole.log);
            assertThat(ev.hellos).containsExactly(expected);
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void byteBuffersAreReadWithoutMovingThem(String name) throws Exception {
        byte[] stream = Fixtures.stream(name);
        ClientHello expected = ClientHelloDecoderTest.decode(name);
        for (boolean direct : new boolean[] {false, true}) {
            Events ev = new Events();
            RecordScanner s = new RecordScanner(ev);
            int half = stream.length / 2;
            for (int[] range : new int[][] {{0, half}, {half, stream.length}}) {
                ByteBuffer b = direct ? ByteBuffer.allocateDirect(stream.length + 4) : ByteBuffer.allocate(stream.length + 4);
                b.put(new byte[2]).put(stream, range[0], range[1] - range[0]).flip();
                b.position(2);
                s.feed(b);
                assertThat(b.position()).isEqualTo(2);
                assertThat(b.limit()).isEqualTo(2 + range[1] - range[0]);
            }
            assertThat(ev.hellos).containsExactly(expected);
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void clientHelloSplitAcrossRecords(String name) throws Exception {
        byte[] stream = Fixtures.stream(name);
        ClientHello expected = ClientHelloDecoderTest.decode(name);
        byte[] hs = Arrays.copyOfRange(stream, 5, stream.length);
        for (int max : new int[] {1, 3, 4, 5, 50, hs.length - 1}) {
            byte[] reframed = TestHellos.reframe(hs, max, 0x0301, 0x0303);
            Events ev = new Events();
            RecordScanner s = new RecordScanner(ev);
            Random rnd = new Random(max);
            int i = 0;
            int feeds = 0;
            while (i < reframed.length) {
                int n = Math.min(reframed.length - i, 1 + rnd.nextInt(40));
                s.feed(reframed, i, n);
                i += n;
                feeds++;
            }
            assertThat(ev.malformedReason).isNull();
            assertThat(ev.hellos).hasSize(1);
            ClientHello h = ev.hellos.get(0);
            // recordVersion is that of the first record carrying the message
            assertThat(h).isEqualTo(new ClientHello(0x0301, expected.legacyVersion(), expected.cipherSuites(),
                    expected.extensionTypes(), expected.serverName(), expected.alpn(), expected.supportedVersions(),
                    expected.supportedGroups(), expected.signatureSchemes(), expected.signatureSchemesCert(),
                    expected.ecPointFormats(), expected.keyShareGroups(), expected.pskKeyExchangeModes(),
                    expected.statusRequest(), expected.renegotiationInfo(), expected.encryptedClientHello(),
                    expected.sslv2Compatible(), expected.session()));
            assertThat(ev.log.stream().filter(l -> l.startsWith("record")).count())
                    .isEqualTo((hs.length + max - 1) / max);
            // every read held bytes of the hello; one record per max bytes of it
            assertThat(ev.arrivals).containsExactly(new ClientHelloArrival(hs.length, (hs.length + max - 1) / max, feeds));
        }
    }

    @Test
    void tls12ServerFlightSeveralMessagesInOneRecordThenEncrypted() {
        byte[] flight = concat(
                handshake(2, TestHellos.serverHelloBody(0x0303, 0xc02f, null, false)),
                handshake(11, new byte[] {0, 0, 3, 0, 0, 0}),
                handshake(14, new byte[0]));
        byte[] stream = concat(
                record(22, 0x0303, flight),
                record(20, 0x0303, new byte[] {1}),
                record(22, 0x0303, new byte[40]), // encrypted Finished: not parsed
                record(23, 0x0303, new byte[100]));
        Events ev = new Events();
        RecordScanner s = new RecordScanner(ev);
        s.feed(stream, 0, stream.length);
        assertThat(ev.log).containsExactly(
                "handshake 2 38", "handshake 11 6", "handshake 14 0", "record 22 303 56",
                "record 20 303 1", "ccs", "record 22 303 40", "record 23 303 100", "appdata 100");
        assertThat(s.encrypted()).isTrue();
        assertThat(s.stopped()).isFalse();
    }

    @Test
    void tls13ServerHelloTurnsDirectionEncrypted() {
        byte[] stream = concat(
                record(22, 0x0303, handshake(2, TestHellos.serverHelloBody(0x0303, 0x1301, 0x0304, false))),
                record(20, 0x0303, new byte[] {1}),
                record(23, 0x0303, new byte[30]),
                record(21, 0x0303, new byte[] {2, 40}), // 2 bytes: plaintext whatever came before (OpenSSL's TLS 1.3 alerts)
                record(21, 0x0303, new byte[19])); // a sealed alert's length: not decoded
        Events ev = new Events();
        RecordScanner s = new RecordScanner(ev);
        int shRecord = 5 + 4 + 46;
        s.feed(stream, 0, shRecord - 1);
        assertThat(s.encrypted()).isFalse();
        s.feed(stream, shRecord - 1, 1);
        assertThat(s.encrypted()).isTrue();
        s.feed(stream, shRecord, stream.length - shRecord);
        assertThat(ev.alerts).containsExactly(new Alert(2, 40));
        assertThat(ev.log).contains("appdata 30", "ccs");
        assertThat(ev.malformedReason).isNull();
    }

    @Test
    void helloRetryRequestKeepsDirectionPlaintextUntilTheRealServerHello() {
        Events ev = new Events();
        RecordScanner s = new RecordScanner(ev);
        byte[] hrr = record(22, 0x0303, handshake(2, TestHellos.serverHelloBody(0x0303, 0x1301, 0x0304, true)));
        byte[] ccs = record(20, 0x0303, new byte[] {1});
        byte[] sh = record(22, 0x0303, handshake(2, TestHellos.serverHelloBody(0x0303, 0x1301, 0x0304, false)));
        s.feed(hrr, 0, hrr.length);
        s.feed(ccs, 0, ccs.length);
        assertThat(s.encrypted()).isFalse();
        s.feed(sh, 0, sh.length);
        assertThat(s.encrypted()).isTrue();
        assertThat(ev.handshakeTypes).containsExactly(2, 2);
    }

    @Test
    void serverHelloDecoder() throws Exception {
        ServerHello hrr = ServerHelloDecoder.decode(TestHellos.serverHelloBody(0x0303, 0x1302, 0x0304, true));
        assertThat(hrr.helloRetryRequest()).isTrue();
        assertThat(hrr.selectedVersion()).isEqualTo(0x0304);
        assertThat(hrr.cipherSuite()).isEqualTo(0x1302);
        assertThat(hrr.extensionTypes()).containsExactly(43);
        ServerHello tls12 = ServerHelloDecoder.decode(TestHellos.serverHelloBody(0x0303, 0xc02f, null, false));
        assertThat(tls12.helloRetryRequest()).isFalse();
        assertThat(tls12.selectedVersion()).isEqualTo(0x0303);
        assertThat(tls12.tls13()).isFalse();
        assertThat(tls12.extensionTypes()).isEmpty();
    }

    @Test
    void secondClientHelloAfterCompatibilityChangeCipherSpecIsReported() {
        byte[] ch = Fixtures.stream("openssl_tls13");
        byte[] stream = concat(ch, record(20, 0x0303, new byte[] {1}), ch, record(23, 0x0303, new byte[50]));
        Events ev = new Events();
        new RecordScanner(ev).feed(stream, 0, stream.length);
        assertThat(ev.hellos).hasSize(2);
        assertThat(ev.malformedReason).isNull();
    }

    @Test
    void plaintextAlert() {
        Events ev = scanWhole(Fixtures.hex("15 0303 0002 02 30"));
        assertThat(ev.alerts).containsExactly(new Alert(2, 48));
        assertThat(ev.alerts.get(0).fatal()).isTrue();
        assertThat(ev.alerts.get(0).descriptionName()).isEqualTo("unknown_ca");
        assertThat(ev.log).containsExactly("record 21 303 2", "alert unknown_ca");

        Events warn = scanWhole(Fixtures.hex("15 0301 0002 01 00"));
        assertThat(warn.alerts.get(0).fatal()).isFalse();
        assertThat(warn.alerts.get(0).descriptionName()).isEqualTo("close_notify");
    }

    @Test
    void alertAfterClientHelloSplitByteByByte() {
        byte[] stream = concat(Fixtures.stream("openssl_tls12"), Fixtures.hex("15 0303 0002 02 28"));
        Events ev = new Events();
        RecordScanner s = new RecordScanner(ev);
        for (int i = 0; i < stream.length; i++) {
            s.feed(stream, i, 1);
        }
        assertThat(ev.hellos).hasSize(1);
        assertThat(ev.alerts).containsExactly(new Alert(2, 40));
    }

    @Test
    void plainHttpIsNotTls() {
        byte[] get = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        Events ev = new Events();
        RecordScanner s = new RecordScanner(ev);
        s.feed(get, 0, get.length);
        assertThat(ev.log).containsExactly("notTls");
        assertThat(new String(ev.notTls, StandardCharsets.US_ASCII)).isEqualTo("GET / HTTP/1.1\r\n");
        assertThat(s.stopped()).isTrue();
        s.feed(get, 0, get.length);
        assertThat(ev.log).hasSize(1);
        assertThat(s.bytesSeen()).isEqualTo(2L * get.length);
    }

    @Test
    void handshakeTypeWithWrongMajorVersionIsNotTls() {
        Events ev = scanWhole("\u0016SH-2.0-OpenSSH".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(ev.log).containsExactly("notTls");
        Events ssh = scanWhole("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(ssh.notTls, StandardCharsets.US_ASCII)).isEqualTo("SSH-2.0-OpenSSH_");
    }

    @Test
    void sslv2CompatibleHelloThenTlsRecords() {
        byte[] v2 = TestHellos.sslv2Hello(0x0301);
        byte[] stream = concat(v2, Fixtures.hex("15 0301 0002 02 46"));
        for (int step : new int[] {1, 2, stream.length}) {
            Events ev = new Events();
            RecordScanner s = new RecordScanner(ev);
            for (int i = 0; i < stream.length; i += step) {
                s.feed(stream, i, Math.min(step, stream.length - i));
            }
            assertThat(ev.hellos).hasSize(1);
            assertThat(ev.hellos.get(0).sslv2Compatible()).isTrue();
            assertThat(ev.hellos.get(0).cipherSuites()).containsExactly(0x002f, 0x000a, 0x00ff);
            assertThat(ev.alerts).containsExactly(new Alert(2, 70));
            assertThat(ev.log.get(0)).isEqualTo("record 22 2 " + (v2.length - 2));
        }
        Events notHello = scanWhole(Fixtures.hex("80 2e 02 0301"));
        assertThat(notHello.log).containsExactly("notTls");
    }

    @Test
    void oversizedRecordIsMalformed() {
        Events ev = scanWhole(Fixtures.hex("16 0301 ffff 01"));
        assertThat(ev.log).hasSize(1);
        assertThat(ev.malformedReason).contains("record length 65535");
        assertThat(ev.malformedAt).isEqualTo(3);
        Events ok = scanWhole(Fixtures.hex("17 0303 4800"));
        assertThat(ok.malformedReason).isNull();
        Events over = scanWhole(Fixtures.hex("17 0303 4801"));
        assertThat(over.malformedReason).isNotNull();
    }

    @Test
    void handshakeMessageOverCapIsMalformed() {
        byte[] stream = Fixtures.hex("16 0301 0004 01 01 00 01");
        Events ev = new Events();
        RecordScanner s = new RecordScanner(ev, 1024);
        s.feed(stream, 0, stream.length);
        assertThat(ev.malformedReason).contains("exceeds the cap of 1024");
        assertThat(ev.malformedAt).isEqualTo(6);
        assertThat(s.stopped()).isTrue();
    }

    @Test
    void corruptClientHelloReportsStreamOffset() {
        byte[] stream = Fixtures.stream("openssl_tls12");
        // cipher_suites length (body offset 35) made odd: 0x0039
        byte[] bad = stream.clone();
        bad[9 + 35] = 0;
        bad[9 + 36] = 0x39;
        Events ev = scanWhole(bad);
        assertThat(ev.malformedReason).startsWith("ClientHello: cipher_suites length 57");
        assertThat(ev.malformedAt).isEqualTo(9 + 35);

        // the same across records of 10 bytes: offset still points into the stream
        byte[] hs = Arrays.copyOfRange(bad, 5, bad.length);
        byte[] reframed = TestHellos.reframe(hs, 10);
        Events ev2 = scanWhole(reframed);
        int bodyOffset = 35;
        int hsOffset = 4 + bodyOffset; // within the handshake byte string
        long expected = (long) (hsOffset / 10) * 15 + 5 + hsOffset % 10;
        assertThat(ev2.malformedAt).isEqualTo(expected);
        assertThat(reframed[(int) expected]).isEqualTo((byte) 0);
    }

    @Test
    void handshakeInterleavedWithOtherRecordIsMalformed() {
        byte[] ch = Arrays.copyOfRange(Fixtures.stream("openssl_tls12"), 5, 50);
        byte[] stream = concat(record(22, 0x0301, ch), Fixtures.hex("15 0303 0002 02 28"));
        Events ev = scanWhole(stream);
        assertThat(ev.malformedReason).contains("interrupted");
    }

    @Test
    void truncatedStreamJustWaits() {
        byte[] stream = Fixtures.stream("curl");
        Events ev = new Events();
        RecordScanner s = new RecordScanner(ev);
        s.feed(stream, 0, 300);
        assertThat(ev.log).isEmpty();
        assertThat(s.partialRecordPending()).isTrue();
        assertThat(s.pendingRecordBytes()).isEqualTo(300);
        assertThat(s.expectedRecordBytes()).isEqualTo(stream.length);
        assertThat(s.clientHelloSeen()).isFalse();
    }

    @Test
    void randomGarbageNeverThrows() {
        Random rnd = new Random(42);
        byte[] base = Fixtures.stream("jdk17");
        for (int i = 0; i < 3000; i++) {
            byte[] b;
            if (i % 3 == 0) {
                b = new byte[rnd.nextInt(300)];
                rnd.nextBytes(b);
                if (b.length > 0) {
                    b[0] = (byte) (20 + rnd.nextInt(4)); // look like TLS to get past detection
                }
            } else {
                b = base.clone();
                for (int k = 0; k < 1 + rnd.nextInt(6); k++) {
                    b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
            }
            Events ev = new Events();
            RecordScanner s = new RecordScanner(ev, 4096);
            int p = 0;
            while (p < b.length) {
                int n = Math.min(b.length - p, 1 + rnd.nextInt(64));
                s.feed(b, p, n);
                p += n;
            }
            assertThat(s.bytesSeen()).isEqualTo(b.length);
            assertThat(ev.log.stream().filter(l -> l.startsWith("malformed") || l.equals("notTls")).count())
                    .isLessThanOrEqualTo(1);
        }
    }

    @Test
    void listenerExceptionIsReportedNotThrown() {
        List<String> malformed = new ArrayList<>();
        RecordScanner s = new RecordScanner(new RecordListener() {
            @Override
            public void onClientHello(ClientHello hello) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void onMalformed(long offset, String reason) {
                malformed.add(reason);
            }
        });
        byte[] stream = Fixtures.stream("curl");
        s.feed(stream, 0, stream.length);
        assertThat(malformed).singleElement().asString().startsWith("internal error");
        assertThat(s.stopped()).isTrue();
    }

    @Test
    void stopMakesLaterFeedsCountOnly() {
        Events ev = new Events();
        RecordScanner s = new RecordScanner(ev);
        byte[] stream = Fixtures.stream("openssl_tls13");
        s.feed(stream, 0, stream.length);
        s.stop();
        assertThat(s.stopped()).isTrue();
        s.feed(stream, 0, stream.length);
        s.feed(ByteBuffer.allocateDirect(10));
        assertThat(ev.hellos).hasSize(1);
        assertThat(s.bytesSeen()).isEqualTo(2L * stream.length + 10);
    }

    @Test
    void arrivalOfAOneRecordHelloInOneRead() {
        byte[] stream = Fixtures.stream("openssl_tls13");
        Events ev = new Events();
        new RecordScanner(ev).feed(stream, 0, stream.length);
        assertThat(ev.arrivals).containsExactly(new ClientHelloArrival(stream.length - 5, 1, 1));
    }

    /** A post-quantum hello (1,479 bytes) in TCP segments of 1,200 and the rest, with a read of only a record header. */
    @Test
    void arrivalCountsReadsFromTheFirstRecordHeaderToTheLastByte() {
        byte[] stream = Fixtures.stream("boringssl_mlkem");
        assertThat(stream.length).isGreaterThan(1400);
        Events ev = new Events();
        RecordScanner s = new RecordScanner(ev);
        s.feed(stream, 0, 1200);
        assertThat(s.pendingHandshakeType()).isEqualTo(1);
        assertThat(s.pendingHandshakeBytes()).isEqualTo(1195);
        assertThat(s.expectedHandshakeBytes()).isEqualTo(stream.length - 5);
        s.feed(stream, 1200, stream.length - 1200);
        assertThat(ev.arrivals).containsExactly(new ClientHelloArrival(stream.length - 5, 1, 2));
        assertThat(s.pendingHandshakeBytes()).isZero();
        assertThat(s.expectedHandshakeBytes()).isEqualTo(-1);
        assertThat(ev.hellos.get(0).keyShareGroups()).contains(0x11ec);

        // the same hello in two records (split at 1,000 bytes of the message), the second record's header alone in a read
        byte[] hs = Arrays.copyOfRange(stream, 5, stream.length);
        byte[] two = TestHellos.reframe(hs, 1000, 0x0301, 0x0303);
        Events ev2 = new Events();
        RecordScanner s2 = new RecordScanner(ev2);
        s2.feed(two, 0, 1005);
        s2.feed(two, 1005, 5);
        s2.feed(two, 1010, two.length - 1010);
        assertThat(ev2.arrivals).containsExactly(new ClientHelloArrival(hs.length, 2, 3));
    }

    @Test
    void aDirectBufferIsOneReadHoweverItIsCopied() {
        byte[] stream = Fixtures.stream("boringssl_mlkem");
        ByteBuffer direct = ByteBuffer.allocateDirect(stream.length).put(stream).flip();
        Events ev = new Events();
        new RecordScanner(ev).feed(direct);
        assertThat(ev.arrivals).containsExactly(new ClientHelloArrival(stream.length - 5, 1, 1));
    }
}
