package io.flinklens.harness;

import java.time.Duration;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * A job that fails, restarts with the fixed-delay strategy (`--attempts`, default 2, `--delay-ms`
 * apart, default 1000)
 * and finally FAILS: every attempt throws after `--fail-after` records (default 100, at 100/s).
 * With `--parallelism` above 1 and `--fail-subtask i`, only subtask i throws: the job is one chain,
 * so each subtask is its own pipelined region and a failure restarts that subtask alone (a region
 * failover), while the others keep running and counting.
 */
public final class FailingJob {
    private FailingJob() {}

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, args.getInt("attempts", 2));
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(args.getLong("delay-ms", 1000)));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(config);
        env.setParallelism(args.getInt("parallelism", 1));
        DataGeneratorSource<Long> source =
                new DataGeneratorSource<>(index -> index, Long.MAX_VALUE, RateLimiterStrategy.perSecond(100), Types.LONG);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "numbers")
                .map(new FailAfter(args.getLong("fail-after", 100), args.getInt("fail-subtask", -1)))
                .name("fail-after")
                .sinkTo(new DiscardingSink<>())
                .name("discard");
        env.execute(args.get("name", "flink-lens failing"));
    }

    /** Throws once it has seen `limit` records in this attempt (only in subtask `subtask`, if ≥ 0). */
    static final class FailAfter extends RichMapFunction<Long, Long> {
        private final long limit;
        private final int subtask;
        private transient long seen;

        FailAfter(long limit, int subtask) {
            this.limit = limit;
            this.subtask = subtask;
        }

        @Override
        public Long map(Long value) {
            boolean failing = subtask < 0 || getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == subtask;
            if (failing && ++seen >= limit) {
                throw new IllegalStateException("flink-lens FailingJob: deliberate failure after " + seen + " records");
            }
            return value;
        }
    }
}
