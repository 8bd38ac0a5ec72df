package io.tlslens.inspector.explain;

import io.tlslens.inspector.registry.TlsRegistry;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the TLS alerts a pasted text names, in every spelling the stacks use, as IANA alert codes
 * (the inspector's registry of {@code tls-parameters-6.csv}): a number ({@code SSL alert number 40},
 * {@code Received alert [70]}, {@code alert 48}, a bare {@code 42}), an IANA name ({@code handshake_failure}),
 * OpenSSL's and BoringSSL's words ({@code sslv3 alert handshake failure}, {@code TLSV1_ALERT_UNKNOWN_CA}),
 * Go's ({@code remote error: tls: bad certificate}), curl's verbose {@code TLS alert, unknown CA (560)}, and OpenSSL/BoringSSL packed error codes whose reason is a
 * received alert ({@code error:14094410}, {@code error:0A000410}, Envoy's decimal {@code 268436496}; reason
 * 1000 + alert). Spellings that differ from IANA's come from the catalogue's {@code alert-name} lines.
 */
final class AlertMentions {
    private static final int FLAGS = Pattern.CASE_INSENSITIVE;
    private static final Pattern NUMBER = Pattern.compile(
            "\\balert(?:\\s+(?:number|description|code))?\\s*[\\[(:#]?\\s*(\\d{1,3})\\b", FLAGS);
    private static final Pattern BARE = Pattern.compile("^\\s*(\\d{1,3})\\s*$");
    private static final Pattern IANA = Pattern.compile("\\b([a-z0-9]+(?:_[a-z0-9]+)+)\\b", FLAGS);
    private static final Pattern OPENSSL = Pattern.compile(
            "\\b(?:sslv3|tlsv1|tlsv13)[ _](?:alert[ _])?((?:[a-z0-9]+[ _]?){1,6})", FLAGS);
    private static final Pattern GO = Pattern.compile("remote error: tls: ([a-z ]+)", FLAGS);
    /** curl -v: {@code TLSv1.3 (IN), TLS alert, unknown CA (560)}: level × 256 + description. */
    private static final Pattern CURL_VERBOSE = Pattern.compile("TLS alert, [^(\\n]*\\((\\d{3})\\)", FLAGS);
    private static final Pattern PACKED_HEX = Pattern.compile("\\berror:([0-9a-f]{8})\\b", FLAGS);
    private static final Pattern PACKED_DECIMAL = Pattern.compile("\\b(\\d{9,10}):SSL routines", FLAGS);

    private AlertMentions() {
    }

    /**
     * @param text    the pasted text
     * @param aliases other spellings (lower-case words separated by one space) → alert code
     * @return the alert codes named, in order of first mention
     */
    static Set<Integer> find(String text, Map<String, Integer> aliases) {
        Set<Integer> out = new LinkedHashSet<>();
        Matcher bare = BARE.matcher(text);
        if (bare.matches()) {
            known(Integer.parseInt(bare.group(1)), out);
        }
        for (Matcher m = NUMBER.matcher(text); m.find(); ) {
            known(Integer.parseInt(m.group(1)), out);
        }
        for (Matcher m = IANA.matcher(text); m.find(); ) {
            TlsRegistry.alertCode(m.group(1)).ifPresent(out::add);
        }
        for (Matcher m = OPENSSL.matcher(text); m.find(); ) {
            words(m.group(1), aliases).ifPresent(out::add);
        }
        for (Matcher m = GO.matcher(text); m.find(); ) {
            words(m.group(1), aliases).ifPresent(out::add);
        }
        for (Matcher m = CURL_VERBOSE.matcher(text); m.find(); ) {
            known(Integer.parseInt(m.group(1)) & 0xFF, out);
        }
        for (Matcher m = PACKED_HEX.matcher(text); m.find(); ) {
            packed(Long.parseLong(m.group(1), 16), out);
        }
        for (Matcher m = PACKED_DECIMAL.matcher(text); m.find(); ) {
            packed(Long.parseLong(m.group(1)), out);
        }
        return out;
    }

    /** @return the alert the longest leading run of {@code words} names, by alias or by IANA name */
    private static OptionalInt words(String run, Map<String, Integer> aliases) {
        String[] w = run.trim().toLowerCase(Locale.ROOT).split("[ _]+");
        for (int n = w.length; n >= 1; n--) {
            String[] prefix = Arrays.copyOf(w, n);
            Integer alias = aliases.get(String.join(" ", prefix));
            if (alias != null) {
                return OptionalInt.of(alias);
            }
            OptionalInt iana = TlsRegistry.alertCode(String.join("_", prefix));
            if (iana.isPresent()) {
                return iana;
            }
        }
        return OptionalInt.empty();
    }

    /** OpenSSL 1.1 keeps the reason in the low 12 bits, OpenSSL 3 and BoringSSL in more; SSL reasons are below 4096. */
    private static void packed(long code, Set<Integer> out) {
        int reason = (int) (code & 0xFFF);
        if (reason >= 1000 && reason < 1256) {
            known(reason - 1000, out);
        }
    }

    private static void known(int code, Set<Integer> out) {
        if (code <= 255 && !TlsRegistry.alertName(code).startsWith("0x")) {
            out.add(code);
        }
    }
}
