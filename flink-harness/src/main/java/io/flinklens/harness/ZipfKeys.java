package io.flinklens.harness;

import java.util.SplittableRandom;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Turns each sequence number into an {@link Event}: a key drawn from a Zipf distribution over
 * `keys` keys with exponent `exponent` (seeded per subtask, so a run is repeatable) and the wall
 * clock as event time; every `lateEvery`-th record is stamped `lateByMs` in the past so the window
 * downstream drops it as late.
 */
public final class ZipfKeys extends RichMapFunction<Long, Event> {
    private final int keys;
    private final double exponent;
    private final long lateEvery;
    private final long lateByMs;
    private transient double[] cumulative;
    private transient SplittableRandom random;
    private transient long seen;

    public ZipfKeys(int keys, double exponent, long lateEvery, long lateByMs) {
        this.keys = keys;
        this.exponent = exponent;
        this.lateEvery = lateEvery;
        this.lateByMs = lateByMs;
    }

    @Override
    public void open(OpenContext openContext) {
        cumulative = new double[keys];
        double sum = 0;
        for (int k = 0; k < keys; k++) {
            sum += 1.0 / Math.pow(k + 1, exponent);
            cumulative[k] = sum;
        }
        for (int k = 0; k < keys; k++) {
            cumulative[k] /= sum;
        }
        random = new SplittableRandom(42L + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
    }

    @Override
    public Event map(Long sequence) {
        seen++;
        int index = java.util.Arrays.binarySearch(cumulative, random.nextDouble());
        long key = index >= 0 ? index : -index - 1;
        long now = System.currentTimeMillis();
        return new Event(Math.min(key, keys - 1), seen % lateEvery == 0 ? now - lateByMs : now);
    }
}
