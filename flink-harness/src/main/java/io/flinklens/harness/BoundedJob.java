package io.flinklens.harness;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * A bounded job that reaches FINISHED: `--records` numbers (default 20000), keyed by value mod 10,
 * summed per key, discarded. `--rate` records per second in total (default 10000) keeps it alive
 * long enough to be seen RUNNING.
 */
public final class BoundedJob {
    private BoundedJob() {}

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        long records = args.getLong("records", 20_000);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataGeneratorSource<Long> source = new DataGeneratorSource<>(
                index -> index,
                records,
                RateLimiterStrategy.perSecond(args.getLong("rate", 10_000)),
                Types.LONG);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "numbers")
                .map(n -> Tuple2.of(n % 10, n))
                .returns(Types.TUPLE(Types.LONG, Types.LONG))
                .name("pair")
                .keyBy(t -> t.f0)
                .sum(1)
                .name("sum")
                .sinkTo(new DiscardingSink<>())
                .name("discard");
        env.execute(args.get("name", "flink-lens bounded"));
    }
}
