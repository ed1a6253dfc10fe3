package io.flinklens.harness.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One set of keys to route: a name, a key type and the keys. Read from the plan file the
 * TypeScript test writes (test/realflink/support/key-sets.ts):
 *
 * <pre>
 * #set &lt;name&gt; &lt;type&gt; &lt;fieldTypes or -&gt;
 * &lt;field&gt;\t&lt;field&gt;...      one line per key
 * </pre>
 *
 * Every field is the hex of its UTF-16 code units (so any Java String survives, unpaired
 * surrogates included) or "-" for null; an empty line is a key whose only field is "". Types: int,
 * long, string, double (text = 16 hex digits of the bits), boolean, tuple (fieldTypes:
 * comma-separated scalar types) and sql (fieldTypes: ';'-separated SQL types, the text CAST to them).
 */
final class KeySet {
    final String name;
    final String type;
    final List<String> fieldTypes;
    final List<String[]> keys = new ArrayList<>();

    private KeySet(String name, String type, List<String> fieldTypes) {
        this.name = name;
        this.type = type;
        this.fieldTypes = fieldTypes;
    }

    static List<KeySet> read(Path plan) throws IOException {
        List<KeySet> sets = new ArrayList<>();
        KeySet current = null;
        for (String line : Files.readAllLines(plan, StandardCharsets.US_ASCII)) {
            if (line.startsWith("#set ")) {
                String[] head = line.split(" ");
                String separator = head[2].equals("sql") ? ";" : ",";
                List<String> fields = head[3].equals("-") ? List.of() : List.of(head[3].split(separator));
                current = new KeySet(head[1], head[2], fields);
                sets.add(current);
                continue;
            }
            if (current == null) {
                throw new IOException("key line before the first #set line in " + plan);
            }
            String[] raw = line.split("\t", -1);
            String[] fields = new String[raw.length];
            for (int i = 0; i < raw.length; i++) {
                fields[i] = raw[i].equals("-") ? null : decode(raw[i]);
            }
            current.keys.add(fields);
        }
        return sets;
    }

    /** Hex of UTF-16 code units (4 digits each) back to the String. */
    static String decode(String hex) {
        char[] units = new char[hex.length() / 4];
        for (int i = 0; i < units.length; i++) {
            units[i] = (char) Integer.parseInt(hex.substring(4 * i, 4 * i + 4), 16);
        }
        return new String(units);
    }
}
