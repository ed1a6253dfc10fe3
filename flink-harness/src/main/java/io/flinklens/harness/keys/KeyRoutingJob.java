package io.flinklens.harness.keys;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Routes key sets through Flink's own keyBy (DataStream) and GROUP BY (SQL) and reports, for every
 * key, the subtask that received it — observed inside the keyed operator, never computed here.
 *
 * <p>Arguments: {@code --plan <file> --out <file> --parallelism P [--max-parallelism M]}
 * (no M: Flink's default maxParallelism). One bounded job routes every set of the plan; the
 * report has one line "set index subtask" per key. Submitted to a cluster, or run with {@code java}
 * for a local environment.
 */
public final class KeyRoutingJob {
    private KeyRoutingJob() {}

    public static void main(String[] args) throws Exception {
        String plan = arg(args, "--plan", null);
        String out = arg(args, "--out", null);
        String parallelism = arg(args, "--parallelism", null);
        if (plan == null || out == null || parallelism == null) {
            throw new IllegalArgumentException("usage: --plan <file> --out <file> --parallelism P [--max-parallelism M]");
        }
        List<KeySet> sets = KeySet.read(Path.of(plan));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(Integer.parseInt(parallelism));
        String maxParallelism = arg(args, "--max-parallelism", null);
        if (maxParallelism != null) {
            env.setMaxParallelism(Integer.parseInt(maxParallelism));
        }
        List<KeySet> keyBySets = new ArrayList<>();
        DataStream<RoutedKey> routed = null;
        StreamTableEnvironment tableEnv = null;
        for (KeySet set : sets) {
            if (!set.type.equals("sql")) {
                keyBySets.add(set);
                continue;
            }
            if (tableEnv == null) {
                tableEnv = StreamTableEnvironment.create(env);
                tableEnv.createTemporarySystemFunction("SUBTASK_OF", SubtaskOf.class);
            }
            DataStream<RoutedKey> stream = routeSql(env, tableEnv, set);
            routed = routed == null ? stream : routed.union(stream);
        }
        if (!keyBySets.isEmpty()) {
            DataStream<RoutedKey> stream = routeKeyBy(env, keyBySets);
            routed = routed == null ? stream : routed.union(stream);
        }
        if (routed == null) {
            throw new IllegalArgumentException("no key sets in " + plan);
        }
        routed.process(new ReportFile(out)).name("report").setParallelism(1);
        env.execute("flink-lens key routing p=" + parallelism + " maxParallelism=" + (maxParallelism == null ? "default" : maxParallelism));
    }

    /**
     * One keyBy for all DataStream sets (one pipeline keeps the task count low on small machines):
     * the key is the Java object of the set's type (Integer, Long, String, Double, Tuple2, Tuple3),
     * so Flink partitions by that type's own hashCode(), exactly as a keyBy on that type does.
     */
    private static DataStream<RoutedKey> routeKeyBy(StreamExecutionEnvironment env, List<KeySet> sets) {
        List<Tuple3<String, Integer, Object>> records = new ArrayList<>();
        for (KeySet set : sets) {
            for (int i = 0; i < set.keys.size(); i++) {
                records.add(Tuple3.of(set.name, i, KeyValues.key(set, set.keys.get(i))));
            }
        }
        TypeInformation<Tuple3<String, Integer, Object>> recordType = Types.TUPLE(Types.STRING, Types.INT, Types.GENERIC(Object.class));
        KeySelector<Tuple3<String, Integer, Object>, Object> byKey = record -> record.f2;
        return env.fromData(records, recordType)
                .name("keys")
                .setParallelism(1)
                .keyBy(byKey, Types.GENERIC(Object.class))
                .process(new KeyedSubtaskReporter(), TypeInformation.of(RoutedKey.class))
                .name("report keyBy subtasks");
    }

    private static DataStream<RoutedKey> routeSql(StreamExecutionEnvironment env, StreamTableEnvironment tableEnv, KeySet set) {
        int columns = set.fieldTypes.size();
        TypeInformation<?>[] types = new TypeInformation<?>[columns + 1];
        String[] names = new String[columns + 1];
        types[0] = Types.INT;
        names[0] = "id";
        for (int c = 0; c < columns; c++) {
            types[c + 1] = Types.STRING;
            names[c + 1] = "c" + c;
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < set.keys.size(); i++) {
            Object[] values = new Object[columns + 1];
            values[0] = i;
            System.arraycopy(set.keys.get(i), 0, values, 1, columns);
            rows.add(Row.of(values));
        }
        DataStream<Row> source = env.fromData(rows, Types.ROW_NAMED(names, types)).name("rows " + set.name).setParallelism(1);
        String view = "keys_" + set.name.replaceAll("[^A-Za-z0-9]", "_");
        tableEnv.createTemporaryView(view, source);
        // Keys first, in GROUP BY order, so the key row holds exactly these columns in this order.
        StringBuilder projection = new StringBuilder();
        StringBuilder groupBy = new StringBuilder();
        for (int c = 0; c < columns; c++) {
            projection.append("CAST(c").append(c).append(" AS ").append(set.fieldTypes.get(c)).append(") AS k").append(c).append(", ");
            groupBy.append(c == 0 ? "" : ", ").append("k").append(c);
        }
        Table result = tableEnv.sqlQuery("SELECT MIN(id) AS id, SUBTASK_OF(id) AS subtask FROM (SELECT " + projection + "id FROM " + view
                + ") GROUP BY " + groupBy);
        String name = set.name;
        return tableEnv.toChangelogStream(result)
                .filter(row -> row.getKind() == RowKind.INSERT || row.getKind() == RowKind.UPDATE_AFTER)
                .map(row -> new RoutedKey(name, (Integer) row.getField("id"), (Integer) row.getField("subtask")))
                .returns(RoutedKey.class);
    }

    private static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
