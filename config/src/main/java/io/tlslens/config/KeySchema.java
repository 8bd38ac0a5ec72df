package io.tlslens.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every key tlslens knows, from the document root down, to catch typos ({@code drian-timeout},
 * {@code handshake-timout}) that HOCON would otherwise ignore silently. A key that is not here is an
 * {@link Unknown}, reported with the closest known key.
 */
final class KeySchema {
    /** A leaf value (string, number, list of strings …). */
    private static final Object LEAF = new Object();

    private record ListOf(Map<String, Object> element) {
    }

    private static final Map<String, Object> PAIR = schema("cert key");
    private static final Map<String, Object> FRONTEND_TLS = schema(
            "policy protocols cipher-suites require-sni alpn client-auth client-ca client-trust ocsp-stapling session-resumption",
            "certificates", new ListOf(PAIR));
    private static final Map<String, Object> BACKEND_TLS = schema(
            "enabled trust server-name verify-hostname policy protocols cipher-suites alpn crl ocsp",
            "certificate", PAIR);
    private static final Map<String, Object> BACKEND = schema("address connect-timeout proxy-protocol",
            "tls", BACKEND_TLS);
    private static final Map<String, Object> ROUTE = schema("server-names", "backend", BACKEND);
    private static final Map<String, Object> LISTENER = schema(
            "name bind mode handshake-timeout idle-timeout max-connections proxy-protocol plaintext-http-answer",
            "tls", FRONTEND_TLS, "backend", BACKEND, "routes", new ListOf(ROUTE));
    private static final Map<String, Object> TLSLENS = schema("drain-timeout reload-interval",
            "admin", schema("bind debug-endpoints"), "log", schema("format level failures-per-second"),
            "listener-defaults", LISTENER, "listeners", new ListOf(LISTENER));
    /** The document root: only {@code tlslens}. */
    static final Map<String, Object> ROOT = schema("", "tlslens", TLSLENS);

    /** An unknown key: its full path, the value (for its origin) and the closest known key, if any. */
    record Unknown(String path, ConfigValue value, String suggestion, List<String> known) {
    }

    private KeySchema() {
    }

    /** Reports every key of {@code object} (recursively) that {@code schema} does not know. */
    static void check(ConfigObject object, String prefix, Map<String, Object> schema, Consumer<Unknown> out) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String key = e.getKey();
            ConfigValue v = e.getValue();
            Object sub = schema.get(key);
            if (sub == null) {
                List<String> known = schema.keySet().stream().sorted().toList();
                out.accept(new Unknown(prefix + key, v, closest(key, known), known));
            } else if (sub instanceof Map<?, ?> m && v instanceof ConfigObject o) {
                check(o, prefix + key + ".", cast(m), out);
            } else if (sub instanceof ListOf l && v instanceof ConfigList list) {
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) instanceof ConfigObject o) {
                        check(o, prefix + key + "[" + i + "].", l.element(), out);
                    }
                }
            }
        }
    }

    /** @return the space-separated {@code leaves} and the {@code key, schema} pairs of {@code nested} */
    private static Map<String, Object> schema(String leaves, Object... nested) {
        Map<String, Object> m = new HashMap<>();
        for (String leaf : leaves.split(" ")) {
            if (!leaf.isEmpty()) {
                m.put(leaf, LEAF);
            }
        }
        for (int i = 0; i < nested.length; i += 2) {
            m.put((String) nested[i], nested[i + 1]);
        }
        return Map.copyOf(m);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    /** @return the known key within edit distance 3 (and less than half the key's length), else null */
    static String closest(String key, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(key, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return bestDistance <= Math.min(3, Math.max(1, key.length() / 2)) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
