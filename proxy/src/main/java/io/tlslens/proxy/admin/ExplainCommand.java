package io.tlslens.proxy.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlslens.inspector.explain.Candidate;
import io.tlslens.inspector.explain.ExplainCatalogue;
import io.tlslens.inspector.explain.Explanation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tlslens explain "ERROR TEXT" [--output text|json]}: what a pasted TLS error means — candidate causes of
 * the taxonomy, most likely first, what tells them apart and the command that decides — from the inspector's
 * {@link ExplainCatalogue}. {@code -} reads the text from stdin (a whole client output). JSON is the contract's (docs/probe-json.md)
 * {@code { "input", "candidates": [ { "cause", "why", "checks" } ] }}. Exit codes: 0 recognised, 1 not recognised
 * (nothing is guessed), 2 usage error.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "What a TLS error message means: candidate causes, most likely first, and the command that decides. "
                + "Exit 0 recognised, 1 not recognised, 2 usage error.")
public final class ExplainCommand implements Callable<Integer> {
    /** Output formats. */
    enum Output { text, json }

    @Parameters(arity = "1..*", paramLabel = "TEXT",
            description = "the error text as pasted (quote it; put -- before a text that starts with a dash), or - to read it from stdin")
    List<String> words;

    @Option(names = "--output", paramLabel = "text|json", defaultValue = "text",
            description = "text (default) or json: { \"input\", \"candidates\": [ { \"cause\", \"why\", \"checks\" } ] }")
    Output output;

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;

    /** Reads stdin, writes to stdout and stderr. */
    public ExplainCommand() {
        this(System.out, System.err, System.in);
    }

    /**
     * For embedding and tests.
     *
     * @param out where the explanation goes
     * @param err where "not recognised" and usage problems go
     * @param in  read for the text {@code -}
     */
    public ExplainCommand(PrintStream out, PrintStream err, InputStream in) {
        this.out = out;
        this.err = err;
        this.in = in;
    }

    @Override
    public Integer call() throws IOException {
        String text = words.size() == 1 && words.get(0).equals("-")
                ? new String(in.readAllBytes(), StandardCharsets.UTF_8).strip() : String.join(" ", words);
        if (text.isBlank()) {
            err.println("tlslens explain: no text given");
            return CommandLine.ExitCode.USAGE;
        }
        Explanation e = ExplainCatalogue.standard().explain(text);
        if (output == Output.json) {
            out.println(json(e));
        } else {
            printText(e);
        }
        if (!e.recognised()) {
            err.println("tlslens explain: not recognised; nothing is guessed");
            return 1;
        }
        return 0;
    }

    /** @return the explain JSON of the contract, fields in contract order */
    static String json(Explanation e) throws JsonProcessingException {
        List<Map<String, Object>> candidates = new ArrayList<>();
        for (Candidate c : e.candidates()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cause", c.cause().code());
            m.put("why", c.why());
            m.put("checks", c.checks());
            candidates.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("input", e.input());
        doc.put("candidates", candidates);
        return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    }

    private void printText(Explanation e) {
        List<String> lines = e.input().lines().toList();
        String shown = lines.isEmpty() ? "" : lines.get(0);
        out.println("input:   " + (shown.length() > 160 ? shown.substring(0, 159) + "…" : shown)
                + (lines.size() > 1 ? "  (+" + (lines.size() - 1) + " more lines)" : ""));
        if (!e.recognised()) {
            out.println("not recognised: no entry of the explain catalogue matches this text, and tlslens does not guess.");
            out.println("Paste the line with the reason (an alert, a verify error, an error:… code), or look at the server:");
            out.println("  tlslens probe HOST:PORT");
            out.println("  openssl s_client -connect HOST:PORT -servername HOST </dev/null");
            return;
        }
        out.println("matched: " + e.matched());
        out.println("means:   " + e.means());
        int i = 1;
        for (Candidate c : e.candidates()) {
            out.println();
            out.println(i++ + ". " + c.cause().code());
            out.println("   why:   " + c.why());
            for (String check : c.checks()) {
                out.println("   check: " + check);
            }
        }
    }
}
