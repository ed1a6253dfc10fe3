package io.flinklens.harness;

import java.time.Duration;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

/**
 * The unbounded job that produces every signal Flink Lens exports (vertex names in quotes):
 *
 * <pre>
 * "events" (datagen, rate-limited)
 *   → global() (all records to subtask 0) → "zipf-keys" + "watermarks" (subtask 1 sees nothing: idle, no watermark)
 *   → forward → "per-split"     (subtask 1's currentInputWatermark stays at Long.MIN_VALUE)
 *   → keyBy   → "cache-lookup"  (Zipf keys: skew; cacheHits/cacheMisses; keyed state grows per new key)
 *   → rebalance → "slow"        (sleeps per record: busy, back-pressures everything upstream)
 *   → keyBy   → "window"        (1 s event-time tumbling count; records stamped in the past are dropped late)
 *   → "discard"
 * </pre>
 *
 * Checkpoints every `--checkpoint-ms` (default 3000). Arguments: --rate (records/s, default 300),
 * --keys (100000), --exponent (1.3), --slow-ms (20, i.e. at most 100 records/s over 2 subtasks), --late-every (50), --parallelism (2).
 */
public final class SignalsJob {
    private SignalsJob() {}

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int parallelism = args.getInt("parallelism", 2);
        long slowMs = args.getLong("slow-ms", 20);
        // Unaligned: the back-pressured pipeline would otherwise hold barriers behind its in-flight
        // data for minutes, and the checkpoint statistics then also show persisted in-flight bytes.
        Configuration config = new Configuration();
        config.setString("execution.checkpointing.unaligned.enabled", "true");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(config);
        env.setParallelism(parallelism);
        env.enableCheckpointing(args.getLong("checkpoint-ms", 3000));

        DataGeneratorSource<Long> source = new DataGeneratorSource<>(
                index -> index, Long.MAX_VALUE, RateLimiterStrategy.perSecond(args.getLong("rate", 300)), Types.LONG);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "events")
                .global()
                .map(new ZipfKeys(args.getInt("keys", 100_000), Double.parseDouble(args.get("exponent", "1.3")),
                        args.getLong("late-every", 50), 5_000))
                .name("zipf-keys")
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Event>forBoundedOutOfOrderness(Duration.ofMillis(200))
                        .withTimestampAssigner((event, previous) -> event.timestamp)
                        .withIdleness(Duration.ofSeconds(2)))
                .name("watermarks")
                .map(event -> event)
                .returns(Event.class)
                .name("per-split")
                .disableChaining()
                .keyBy(event -> event.key)
                .process(new CacheLookup())
                .name("cache-lookup")
                .rebalance()
                .map(event -> {
                    Thread.sleep(slowMs);
                    return event;
                })
                .returns(Event.class)
                .name("slow")
                .keyBy(event -> event.key)
                .window(TumblingEventTimeWindows.of(Duration.ofSeconds(1)))
                .aggregate(new CountPerKey())
                .name("window")
                .sinkTo(new DiscardingSink<>())
                .name("discard");
        env.execute(args.get("name", "flink-lens signals"));
    }

    /** Records per key and window. */
    static final class CountPerKey implements AggregateFunction<Event, Long, Long> {
        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(Event value, Long accumulator) {
            return accumulator + 1;
        }

        @Override
        public Long getResult(Long accumulator) {
            return accumulator;
        }

        @Override
        public Long merge(Long a, Long b) {
            return a + b;
        }
    }
}
