package io.flinklens.harness;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A keyed "cache": the first record of a key is a miss (and adds the key to keyed state, which
 * therefore grows with every new key), later ones are hits. Counts both in the user counters
 * `cacheHits` / `cacheMisses` that Flink Lens turns into a hit ratio.
 */
public final class CacheLookup extends KeyedProcessFunction<Long, Event, Event> {
    private transient ValueState<Long> seenCount;
    private transient Counter hits;
    private transient Counter misses;

    @Override
    public void open(OpenContext openContext) {
        seenCount = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.LONG));
        hits = getRuntimeContext().getMetricGroup().counter("cacheHits");
        misses = getRuntimeContext().getMetricGroup().counter("cacheMisses");
    }

    @Override
    public void processElement(Event event, Context ctx, Collector<Event> out) throws Exception {
        Long count = seenCount.value();
        if (count == null) {
            misses.inc();
            seenCount.update(1L);
        } else {
            hits.inc();
            seenCount.update(count + 1);
        }
        out.collect(event);
    }
}
