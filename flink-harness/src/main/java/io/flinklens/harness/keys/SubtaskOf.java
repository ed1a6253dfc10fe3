package io.flinklens.harness.keys;

import org.apache.flink.table.functions.AggregateFunction;
import org.apache.flink.table.functions.FunctionContext;

/**
 * SQL aggregate that reports the index of the subtask evaluating it. It runs inside the group
 * aggregation operator, so its answer is where Flink's own hash exchange routed the group's key.
 * The index comes from the operator's metric scope ({@code <subtask_index>}), which both Flink 1.20
 * and 2.x expose to functions.
 */
public class SubtaskOf extends AggregateFunction<Integer, SubtaskOf.Acc> {

    /** Nothing to accumulate: the answer is a property of the subtask. */
    public static class Acc {
        public int seen;
    }

    private transient int subtask = -1;

    @Override
    public void open(FunctionContext context) {
        subtask = Integer.parseInt(context.getMetricGroup().getAllVariables().get("<subtask_index>"));
    }

    @Override
    public Acc createAccumulator() {
        return new Acc();
    }

    public void accumulate(Acc acc, Integer id) {
        acc.seen++;
    }

    @Override
    public Integer getValue(Acc acc) {
        return subtask;
    }
}
