package io.flinklens.harness.keys;

import org.apache.flink.api.java.tuple.Tuple;

import java.util.List;

/** The Java key objects of the DataStream key types of a plan. */
final class KeyValues {
    private KeyValues() {}

    static Object key(KeySet set, String[] fields) {
        if (set.type.equals("tuple")) {
            List<String> types = set.fieldTypes;
            Tuple tuple = Tuple.newInstance(types.size());
            for (int i = 0; i < types.size(); i++) {
                tuple.setField(scalar(types.get(i), fields[i]), i);
            }
            return tuple;
        }
        return scalar(set.type, fields[0]);
    }

    private static Object scalar(String type, String text) {
        switch (type) {
            case "int":
                return Integer.parseInt(text);
            case "long":
                return Long.parseLong(text);
            case "string":
                return text;
            case "double":
                return Double.longBitsToDouble(Long.parseUnsignedLong(text, 16));
            case "boolean":
                return Boolean.parseBoolean(text);
            default:
                throw new IllegalArgumentException("unknown key type " + type);
        }
    }
}
