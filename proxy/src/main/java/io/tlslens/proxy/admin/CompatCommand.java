package io.tlslens.proxy.admin;

import io.tlslens.inspector.compat.ClientHelloAggregate;
import io.tlslens.inspector.compat.CompatibilityReport;
import io.tlslens.inspector.compat.CompatibilityRow;
import io.tlslens.inspector.corpus.ClientSimulationCorpus;
import io.tlslens.inspector.corpus.CorpusNames;
import io.tlslens.inspector.corpus.SimulatedClient;
import io.tlslens.inspector.fingerprint.Ja4;
import io.tlslens.inspector.policy.Judgement.Verdict;
import io.tlslens.inspector.policy.NamedPolicies;
import io.tlslens.inspector.registry.TlsRegistry;
import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.ClientHelloReader;
import io.tlslens.inspector.wire.MalformedHandshakeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tlslens compat --policy NAME [--clients FILE] [--key RSA|ECDSA]}: judges a set of ClientHellos
 * against a named policy and prints one row per distinct client (by JA4) plus the failing share by cause.
 * Exit codes: 0 printed, 2 unknown policy/key or unreadable input.
 */
@Command(name = "compat", mixinStandardHelpOptions = true,
        description = "Who breaks under a policy: judges recorded ClientHellos (default: the testssl.sh client corpus) "
                + "against a named policy.")
public final class CompatCommand implements Callable<Integer> {
    @Option(names = "--policy", required = true, paramLabel = "NAME",
            description = "named policy: modern, intermediate, old, ELBSecurityPolicy-…")
    String policy;

    @Option(names = "--clients", paramLabel = "FILE",
            description = "ClientHellos, one hex string per line: the bytes a client sent (TLS records, or an SSLv2 "
                    + "hello record) or a bare handshake message (type 1); optionally NAME<TAB>HEX; # comments. "
                    + "Default: /etc/testssl/client-simulation.txt (Debian package testssl.sh)")
    Path clients;

    @Option(names = "--key", paramLabel = "RSA|ECDSA", description = "certificate key type (default ECDSA)")
    String key;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    @Override
    public Integer call() {
        var problem = CompatibilityView.validate(policy, key);
        if (problem.isPresent()) {
            err.println("tlslens compat: " + problem.get());
            return CommandLine.ExitCode.USAGE;
        }
        ClientHelloAggregate agg;
        try {
            agg = clients == null ? fromCorpus() : fromFile(clients);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            err.println("tlslens compat: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        CompatibilityReport r = CompatibilityReport.judge(agg.snapshot(), NamedPolicies.byName(policy).orElseThrow(),
                CompatibilityView.key(key), agg.evictions());
        print(r);
        return 0;
    }

    private ClientHelloAggregate fromCorpus() {
        List<SimulatedClient> corpus = ClientSimulationCorpus.readDefault();
        ClientHelloAggregate agg = new ClientHelloAggregate(10_000, CorpusNames.byJa4(corpus));
        for (SimulatedClient c : corpus) {
            try {
                agg.record(ClientHelloReader.read(c.handshakeBytes()));
            } catch (MalformedHandshakeException e) {
                err.println("tlslens compat: skipped " + c.name() + ": " + e.getMessage());
            }
        }
        return agg;
    }

    private ClientHelloAggregate fromFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
        Map<String, String> names = new HashMap<>();
        List<ClientHello> hellos = new ArrayList<>();
        int lineNo = 0;
        for (String line : lines) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String name = null;
            int tab = t.lastIndexOf('\t');
            if (tab > 0) {
                name = t.substring(0, tab).strip();
                t = t.substring(tab + 1).strip();
            }
            try {
                ClientHello h = ClientHelloReader.read(HexFormat.of().parseHex(t.replaceAll("\\s", "")));
                hellos.add(h);
                if (name != null) {
                    names.merge(Ja4.of(h), name, (a, b) -> a.equals(b) ? a : a + ", " + b);
                }
            } catch (MalformedHandshakeException | IllegalArgumentException e) {
                err.println("tlslens compat: " + file + ":" + lineNo + ": skipped: " + e.getMessage());
            }
        }
        ClientHelloAggregate agg = new ClientHelloAggregate(10_000, names);
        hellos.forEach(agg::record);
        return agg;
    }

    private void print(CompatibilityReport r) {
        out.printf("%-40s %-38s %-26s %-8s %s%n", "CLIENT", "JA4", "VERDICT", "VERSION", "CIPHER SUITE");
        for (CompatibilityRow row : r.rows()) {
            String name = row.client().clientName() == null ? "(unknown)" : row.client().clientName();
            if (row.client().count() > 1) {
                name = name + " ×" + row.client().count();
            }
            out.printf("%-40s %-38s %-26s %-8s %s%n", truncate(name, 40), row.client().ja4(),
                    CompatibilityReport.causeCode(row.judgement().verdict()),
                    row.version() == 0 ? "-" : TlsRegistry.versionName(row.version()),
                    row.cipherSuite() < 0 ? "-" : TlsRegistry.cipherSuiteName(row.cipherSuite()));
        }
        out.println();
        out.printf("policy %s, %s certificate: %d of %d ClientHellos would fail (%.1f%%)%n", r.policy().name(), r.key(),
                r.failing(), r.clientHellos(), 100 * r.failingShare());
        for (Map.Entry<Verdict, List<CompatibilityRow>> e : r.failuresByCause().entrySet()) {
            long n = e.getValue().stream().mapToLong(row -> row.client().count()).sum();
            out.printf("  %-26s %4d (%.1f%%)%n", CompatibilityReport.causeCode(e.getKey()), n,
                    r.clientHellos() == 0 ? 0.0 : 100.0 * n / r.clientHellos());
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
