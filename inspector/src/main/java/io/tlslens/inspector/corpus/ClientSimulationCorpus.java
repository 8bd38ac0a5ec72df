package io.tlslens.inspector.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads testssl.sh's {@code client-simulation.txt}: bash array appends ({@code names+=("Android 2.3.7")},
 * {@code handshakebytes+=("1603…")}, {@code minDhBits+=(-1)} …), one block of lines per client.
 *
 * <p>The file is read per block, not by array index: a block starts at each {@code names+=} line and
 * owns every later line up to the next one. (The shipped file has blocks with a misspelt or missing
 * column, which index alignment would silently shift.) Comments ({@code #}) and blank lines are ignored.
 * Only the columns {@link SimulatedClient} carries are interpreted; the file itself is GPL data that
 * tlslens reads in place and does not ship.
 */
public final class ClientSimulationCorpus {
    private ClientSimulationCorpus() {
    }

    /** Where Debian's {@code testssl.sh} package installs the corpus. */
    public static final Path DEFAULT_PATH = Path.of("/etc/testssl/client-simulation.txt");

    private static final Pattern LINE = Pattern.compile("^\\s*([A-Za-z0-9_]+)\\+=\\((.*)\\)\\s*$");

    /**
     * @return the clients of {@link #DEFAULT_PATH}, in file order
     * @throws UncheckedIOException when the file is missing (its message names the {@code testssl.sh}
     *                              package to install) or unreadable
     * @throws IllegalArgumentException when a block lacks a required column or holds bad hex / versions
     */
    public static List<SimulatedClient> readDefault() {
        return read(DEFAULT_PATH);
    }

    /**
     * @param file a client-simulation.txt in testssl.sh's format
     * @return the clients in file order
     * @throws UncheckedIOException when the file is missing (message names the {@code testssl.sh} package) or unreadable
     * @throws IllegalArgumentException when a block lacks a required column or holds bad hex / versions
     */
    public static List<SimulatedClient> read(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("testssl.sh client corpus " + file
                    + " not found: install the Debian package testssl.sh (apt-get install testssl.sh)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param lines the file's lines
     * @return the clients in order
     * @throws IllegalArgumentException when a block lacks a required column or holds bad hex / versions
     */
    public static List<SimulatedClient> parse(List<String> lines) {
        List<SimulatedClient> out = new ArrayList<>();
        Map<String, String> block = null;
        for (String line : lines) {
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String key = m.group(1);
            String value = unquote(m.group(2).trim());
            if (key.equals("names")) {
                if (block != null) {
                    out.add(toClient(block));
                }
                block = new HashMap<>();
            }
            if (block != null) {
                block.put(key, value);
            }
        }
        if (block != null) {
            out.add(toClient(block));
        }
        return List.copyOf(out);
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private static SimulatedClient toClient(Map<String, String> b) {
        String name = required(b, "names", "?");
        try {
            byte[] bytes = HexFormat.of().parseHex(required(b, "handshakebytes", name).replaceAll("\\s", ""));
            return new SimulatedClient(name, b.getOrDefault("short", ""), split(b.get("ciphers")),
                    split(b.get("ciphersuites")), bytes, version(required(b, "lowest_protocol", name)),
                    version(required(b, "highest_protocol", name)), Boolean.parseBoolean(b.get("current")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("client '" + name + "': " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> b, String key, String name) {
        String v = b.get(key);
        if (v == null) {
            throw new IllegalArgumentException("client '" + name + "' has no " + key + " column");
        }
        return v;
    }

    private static List<String> split(String colonList) {
        if (colonList == null || colonList.isBlank()) {
            return List.of();
        }
        return Arrays.stream(colonList.split(":")).filter(s -> !s.isBlank()).toList();
    }

    private static int version(String hex) {
        if (!hex.startsWith("0x")) {
            throw new IllegalArgumentException("version '" + hex + "' is not 0x-hex");
        }
        return Integer.parseInt(hex.substring(2), 16);
    }
}
