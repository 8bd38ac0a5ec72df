package io.tlslens.inspector.explain;

import io.tlslens.inspector.diagnosis.Cause;
import io.tlslens.inspector.registry.TlsRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The explain catalogue: error texts → candidate causes, read from {@code /explain/explain-catalogue.txt}
 * (the format is described at the top of that file). {@link #explain(String)} takes the <b>first</b> entry, in
 * file order, that matches the text — so the file lists specific messages before the generic ones that often
 * accompany them ({@code certificate has expired} before {@code certificate verify failed}) — and returns its
 * candidates as written, most likely first. A text no entry matches is unrecognised: no candidate is guessed.
 * Immutable and thread-safe.
 */
public final class ExplainCatalogue {
    /** The resource the default catalogue is read from. */
    public static final String RESOURCE = "/explain/explain-catalogue.txt";
    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL;
    private static final Set<String> KEYS = Set.of("entry", "match", "alert", "also", "unless", "means", "cause", "why",
            "check", "alert-name");

    private record Entry(String title, int line, List<Pattern> match, Set<Integer> alerts, boolean anyAlert,
                         List<Pattern> also, List<Pattern> unless, String means, List<Candidate> candidates) {
        /** @return whether this entry matches; {@code mentioned} are the alerts the text names */
        boolean matches(String text, Set<Integer> mentioned) {
            boolean hit = match.stream().anyMatch(p -> p.matcher(text).find())
                    || (anyAlert && !mentioned.isEmpty())
                    || mentioned.stream().anyMatch(alerts::contains);
            return hit && also.stream().allMatch(p -> p.matcher(text).find())
                    && unless.stream().noneMatch(p -> p.matcher(text).find());
        }
    }

    private static final class Holder {
        static final ExplainCatalogue DEFAULT = parse(read(), RESOURCE);

        private static String read() {
            try (InputStream in = ExplainCatalogue.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + RESOURCE);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
        }
    }

    private final List<Entry> entries;
    private final Map<String, Integer> alertNames;

    private ExplainCatalogue(List<Entry> entries, Map<String, Integer> alertNames) {
        this.entries = List.copyOf(entries);
        this.alertNames = Map.copyOf(alertNames);
    }

    /** @return the catalogue shipped in the inspector, parsed once */
    public static ExplainCatalogue standard() {
        return Holder.DEFAULT;
    }

    /** @return the number of entries */
    public int size() {
        return entries.size();
    }

    /** @return the entries' titles, in file order */
    public List<String> titles() {
        return entries.stream().map(Entry::title).toList();
    }

    /**
     * @param input pasted error text: one line or several (a stack trace, a client's whole output)
     * @return the first matching entry's candidates, or an unrecognised explanation (no candidates)
     */
    public Explanation explain(String input) {
        String text = input == null ? "" : input;
        Set<Integer> alerts = AlertMentions.find(text, alertNames);
        for (Entry e : entries) {
            if (e.matches(text, alerts)) {
                String alert = alerts.stream().filter(a -> e.anyAlert() || e.alerts().contains(a)).findFirst()
                        .map(a -> TlsRegistry.alertName(a) + " (" + a + ")").orElse("");
                List<Candidate> candidates = e.candidates().stream()
                        .map(c -> new Candidate(c.cause(), c.why().replace("{alert}", alert), c.checks())).toList();
                return new Explanation(text, e.title(), e.means().replace("{alert}", alert), candidates);
            }
        }
        return new Explanation(text, "", "", List.of());
    }

    /**
     * Parses a catalogue. Every problem is an {@link IllegalArgumentException} naming {@code source:line}.
     *
     * @param text   the catalogue text
     * @param source its name, for messages
     * @return the catalogue
     */
    public static ExplainCatalogue parse(String text, String source) {
        return new Parser(source).parse(text);
    }

    /** Line-oriented: {@code key: value}; an indented line continues the previous value. */
    private static final class Parser {
        private final String source;
        private final List<Entry> entries = new ArrayList<>();
        private final Map<String, Integer> alertNames = new HashMap<>();
        private EntryBuilder current;
        private int line;

        Parser(String source) {
            this.source = source;
        }

        ExplainCatalogue parse(String text) {
            List<String[]> logical = new ArrayList<>();
            List<Integer> lines = new ArrayList<>();
            String[] raw = text.split("\r?\n", -1);
            for (int i = 0; i < raw.length; i++) {
                String l = raw[i];
                if (l.isBlank() || l.stripLeading().startsWith("#")) {
                    continue;
                }
                if (Character.isWhitespace(l.charAt(0))) {
                    if (logical.isEmpty()) {
                        line = i + 1;
                        throw problem("a continuation line before any key");
                    }
                    String[] last = logical.get(logical.size() - 1);
                    last[1] = last[1] + " " + l.strip();
                    continue;
                }
                int colon = l.indexOf(':');
                if (colon < 0) {
                    line = i + 1;
                    throw problem("expected 'key: value', found '" + l + "'");
                }
                logical.add(new String[] {l.substring(0, colon).strip(), l.substring(colon + 1).strip()});
                lines.add(i + 1);
            }
            for (int i = 0; i < logical.size(); i++) {
                line = lines.get(i);
                apply(logical.get(i)[0], logical.get(i)[1]);
            }
            finish();
            if (entries.isEmpty()) {
                throw problem("no entries");
            }
            return new ExplainCatalogue(entries, alertNames);
        }

        private void apply(String key, String value) {
            if (!KEYS.contains(key)) {
                throw problem("unknown key '" + key + "'; known: " + KEYS);
            }
            if (value.isEmpty()) {
                throw problem("empty value for '" + key + "'");
            }
            if (key.equals("alert-name")) {
                int eq = value.lastIndexOf('=');
                OptionalInt code = eq < 0 ? OptionalInt.empty() : TlsRegistry.alertCode(value.substring(eq + 1).strip());
                if (code.isEmpty()) {
                    throw problem("alert-name must be 'words = iana_alert_name', found '" + value + "'");
                }
                alertNames.put(String.join(" ", value.substring(0, eq).strip().toLowerCase(Locale.ROOT).split("\\s+")),
                        code.getAsInt());
                return;
            }
            if (key.equals("entry")) {
                finish();
                current = new EntryBuilder(value, line);
                return;
            }
            if (current == null) {
                throw problem("'" + key + "' before the first 'entry'");
            }
            switch (key) {
                case "match" -> current.match.add(regex(value));
                case "also" -> current.also.add(regex(value));
                case "unless" -> current.unless.add(regex(value));
                case "alert" -> alerts(value);
                case "means" -> {
                    if (current.means != null) {
                        throw problem("a second 'means' in entry '" + current.title + "'");
                    }
                    current.means = value;
                }
                case "cause" -> current.cause(cause(value));
                case "why" -> current.why(value);
                case "check" -> current.check(value);
                default -> throw new IllegalStateException(key);
            }
        }

        private void alerts(String value) {
            for (String name : value.split("\\s*,\\s*")) {
                if (name.equals("any")) {
                    current.anyAlert = true;
                    continue;
                }
                OptionalInt code = TlsRegistry.alertCode(name);
                if (code.isEmpty()) {
                    throw problem("unknown alert '" + name + "' (use IANA names, e.g. handshake_failure, or 'any')");
                }
                current.alerts.add(code.getAsInt());
            }
        }

        private Cause cause(String code) {
            return Arrays.stream(Cause.values()).filter(c -> c.code().equals(code)).findFirst()
                    .orElseThrow(() -> problem("unknown cause '" + code + "' (not in the taxonomy)"));
        }

        private Pattern regex(String value) {
            try {
                return Pattern.compile(value, FLAGS);
            } catch (PatternSyntaxException e) {
                throw problem("bad regular expression: " + e.getDescription() + " in " + value);
            }
        }

        private void finish() {
            if (current != null) {
                entries.add(current.build());
                current = null;
            }
        }

        private IllegalArgumentException problem(String message) {
            return new IllegalArgumentException(source + ":" + line + ": " + message);
        }

        private final class EntryBuilder {
            final String title;
            final int at;
            final List<Pattern> match = new ArrayList<>();
            final Set<Integer> alerts = new LinkedHashSet<>();
            boolean anyAlert;
            final List<Pattern> also = new ArrayList<>();
            final List<Pattern> unless = new ArrayList<>();
            String means;
            final List<Candidate> candidates = new ArrayList<>();
            Cause cause;
            String why;
            final List<String> checks = new ArrayList<>();

            EntryBuilder(String title, int at) {
                this.title = title;
                this.at = at;
            }

            void cause(Cause c) {
                endCandidate();
                if (candidates.stream().anyMatch(x -> x.cause() == c)) {
                    throw problem("cause '" + c.code() + "' twice in entry '" + title + "'");
                }
                cause = c;
            }

            void why(String w) {
                if (cause == null || why != null) {
                    throw problem("'why' must follow its 'cause', once");
                }
                why = w;
            }

            void check(String c) {
                if (cause == null) {
                    throw problem("'check' must follow its 'cause'");
                }
                checks.add(c);
            }

            void endCandidate() {
                if (cause == null) {
                    return;
                }
                if (why == null || checks.isEmpty()) {
                    throw problem("cause '" + cause.code() + "' in entry '" + title + "' needs a 'why' and at least one 'check'");
                }
                candidates.add(new Candidate(cause, why, checks));
                cause = null;
                why = null;
                checks.clear();
            }

            Entry build() {
                endCandidate();
                if (match.isEmpty() && alerts.isEmpty() && !anyAlert) {
                    throw new IllegalArgumentException(source + ":" + at + ": entry '" + title + "' has no 'match' or 'alert'");
                }
                if (means == null || candidates.isEmpty()) {
                    throw new IllegalArgumentException(source + ":" + at + ": entry '" + title
                            + "' needs a 'means' and at least one 'cause'");
                }
                return new Entry(title, at, match, alerts, anyAlert, also, unless, means, candidates);
            }
        }
    }
}
