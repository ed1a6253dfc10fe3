package io.flinklens.harness.keys;

import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/** Runs after a real keyBy and reports, per key, the subtask Flink delivered it to. */
final class KeyedSubtaskReporter extends KeyedProcessFunction<Object, Tuple3<String, Integer, Object>, RoutedKey> {
    @Override
    public void processElement(Tuple3<String, Integer, Object> value, Context ctx, Collector<RoutedKey> out) {
        // getTaskInfo() exists on 1.19+ and 2.x (getIndexOfThisSubtask() directly on the context is gone in 2.0)
        out.collect(new RoutedKey(value.f0, value.f1, getRuntimeContext().getTaskInfo().getIndexOfThisSubtask()));
    }
}
