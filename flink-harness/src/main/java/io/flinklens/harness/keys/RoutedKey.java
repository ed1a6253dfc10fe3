package io.flinklens.harness.keys;

/** What the job reports for one key: its set, its index in the set and the subtask that got it. */
public final class RoutedKey {
    public String set;
    public int index;
    public int subtask;

    public RoutedKey() {}

    RoutedKey(String set, int index, int subtask) {
        this.set = set;
        this.index = index;
        this.subtask = subtask;
    }

    @Override
    public String toString() {
        return set + "\t" + index + "\t" + subtask;
    }
}
