package io.tlslens.bench.soak;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario 3: full handshakes with random SNI names, half on a terminate listener and half on a
 * passthrough listener with a wildcard route (a quarter of the names match it). Checks: the number of
 * /metrics series is the same before and after, no label value is one of the names sent, and tlslens'
 * heap after a full GC has grown by at most 32 MiB.
 */
final class SniScenario {
    private static final long HEAP_SLACK = 32L << 20;
    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

    private static final byte[] PAYLOAD = "soak: a few bytes of application data, more than an alert\n".repeat(2)
            .substring(0, 64).getBytes(StandardCharsets.US_ASCII);

    private static final Pattern LABEL_VALUE = Pattern.compile("=\"([^\"]*)\"");

    private final Soak soak;
    private final Set<String> names = ConcurrentHashMap.newKeySet();
    private final int terminatePort;
    private final int passthroughPort;

    SniScenario(Soak soak, int terminatePort, int passthroughPort) {
        this.soak = soak;
        this.terminatePort = terminatePort;
        this.passthroughPort = passthroughPort;
    }

    Soak.Result run(int handshakes) throws Exception {
        SSLContext ctx = soak.pki.client();
        AtomicInteger failed = new AtomicInteger();
        int fdsBefore = soak.tlslens.fds();
        // Warm-up: every label value appears once, the JVM's minor-GC series too (at most 20 rounds of 200).
        for (int round = 0; round < 20; round++) {
            int first = round * 200;
            soak.parallel(200, 8, i -> handshake(ctx, first + i, failed));
            if (soak.tlslens.metrics().contains("action=\"end of minor GC\"")) {
                break;
            }
        }
        soak.settle(fdsBefore);
        long heapBefore = soak.tlslens.heapAfterGc();
        TreeSet<String> before = soak.tlslens.series();
        failed.set(0);
        long start = System.nanoTime();
        soak.parallel(handshakes, 8, i -> handshake(ctx, 4000 + i, failed));
        double seconds = (System.nanoTime() - start) / 1e9;
        Soak.Settled settled = soak.settle(fdsBefore);
        TreeSet<String> after = soak.tlslens.series();
        long heapAfter = soak.tlslens.heapAfterGc();
        TreeSet<String> added = new TreeSet<>(after);
        added.removeAll(before);
        TreeSet<String> gone = new TreeSet<>(before);
        gone.removeAll(after);
        added.forEach(s -> soak.note("sni: series added " + s, "after the handshakes, not before"));
        gone.forEach(s -> soak.note("sni: series gone " + s, "before the handshakes, not after"));
        int named = namesInLabels(soak.tlslens.metrics());
        boolean pass = named == 0 && before.size() == after.size() && heapAfter - heapBefore <= HEAP_SLACK && failed.get() == 0 && settled.ok();
        return new Soak.Result("3 sni", pass, String.format(
                "handshakes=%d %.0fs failed=%d series=%d->%d (+%d -%d) sni_in_labels=%d heap_after_gc=%.1f->%.1fMiB (%+.1fMiB, limit +32) %s",
                handshakes, seconds, failed.get(), before.size(), after.size(), added.size(), gone.size(), named,
                heapBefore / 1048576.0, heapAfter / 1048576.0, (heapAfter - heapBefore) / 1048576.0, settled.figures()));
    }

    /** @return how many label values in {@code metrics} are SNI names this scenario sent */
    private int namesInLabels(String metrics) {
        int n = 0;
        Matcher m = LABEL_VALUE.matcher(metrics);
        while (m.find()) {
            if (names.contains(m.group(1))) {
                n++;
                soak.note("sni: a name in a label", m.group());
            }
        }
        return n;
    }

    private void handshake(SSLContext ctx, int i, AtomicInteger failed) {
        SplittableRandom rnd = new SplittableRandom(i * 7919L);
        boolean passthrough = i % 2 == 1;
        // unique per connection (the JDK client keeps a session per name and port: a repeated name would resume)
        String name = randomName(rnd) + "-" + Integer.toString(i, 36) + (passthrough && rnd.nextInt(2) == 0 ? ".routed.soak.test" : "." + label(rnd, 2, 6));
        names.add(name);
        try (Peer p = Peer.connect(passthrough ? passthroughPort : terminatePort, ctx, name)) {
            // 64 bytes, not a few: in passthrough one encrypted record shorter than a Finished followed by the close
            // is how a sealed alert looks (DIAGNOSIS, "Passthrough"); a 5-byte write now and then was read as one
            p.out().write(PAYLOAD);
            p.out().flush();
            // An orderly end: close_notify and FIN, then read to the backend's close. Closing the socket with the
            // backend's session ticket still unread would make the kernel reset the connection, and a proxy whose
            // write to the client fails on that reset closes the client side before reading what preceded it
            // (the payload and close_notify): then the tap saw a finished handshake without data.
            p.closeNotify();
            drainToClose(p);
        } catch (Exception e) {
            failed.incrementAndGet();
            soak.note("sni: a handshake failed", name + ": " + e);
        }
    }

    /** Reads until the backend's close; a reset is one too (it reads a header, finds none and closes). */
    private static void drainToClose(Peer p) throws IOException {
        p.raw.setSoTimeout(10_000);
        try {
            p.in().transferTo(OutputStream.nullOutputStream());
        } catch (SSLException | SocketException e) {
            // closed with our close_notify unread: the payload went through all the same
        }
    }

    private static String randomName(SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder(label(rnd, 1, 20));
        for (int n = rnd.nextInt(3); n > 0; n--) {
            sb.append('.').append(label(rnd, 1, 12));
        }
        return sb.toString();
    }

    private static String label(SplittableRandom rnd, int min, int max) {
        StringBuilder sb = new StringBuilder();
        for (int n = min + rnd.nextInt(max - min + 1); n > 0; n--) {
            sb.append(ALNUM.charAt(rnd.nextInt(ALNUM.length())));
        }
        return sb.toString();
    }
}
