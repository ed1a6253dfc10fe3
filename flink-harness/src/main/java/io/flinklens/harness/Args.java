package io.flinklens.harness;

import java.util.HashMap;
import java.util.Map;

/** `--name value` program arguments with defaults (ParameterTool moved packages in 2.0). */
public final class Args {
    private final Map<String, String> values = new HashMap<>();

    public Args(String[] args) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            values.put(args[i].substring(2), args[i + 1]);
        }
    }

    public long getLong(String name, long fallback) {
        String v = values.get(name);
        return v == null ? fallback : Long.parseLong(v);
    }

    public int getInt(String name, int fallback) {
        return (int) getLong(name, fallback);
    }

    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }
}
