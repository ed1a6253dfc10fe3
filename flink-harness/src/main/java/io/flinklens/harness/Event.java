package io.flinklens.harness;

/** One record of the signals job: a Zipf-distributed key and its event time (a Flink POJO). */
public class Event {
    public long key;
    public long timestamp;

    public Event() {}

    public Event(long key, long timestamp) {
        this.key = key;
        this.timestamp = timestamp;
    }
}
