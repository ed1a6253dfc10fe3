// Reference benchmark for bench/keygroups.ts: Flink's key -> key group -> subtask assignment
// (MathUtils.murmurHash + KeyGroupRangeAssignment), re-stated from reference.md section 2, on one
// thread of a JDK 17 JVM. Run from the repo root in single-file source mode:
//
//   java bench/java/KeyGroupBench.java <dir> <maxParallelism> <parallelism> <kind>
//
// One kind per JVM (int, long, safe-long, string or concat), so that, like the engine's own
// per-kind processes, only that kind's keys are alive and no other kind's loop has run before it.
// <dir> holds the keys bench/keygroups.ts generated for that kind, so both runtimes time the same
// keys: keys-int.bin (int32 little-endian), keys-long.bin and keys-safe-long.bin (int64
// little-endian), keys-string.txt and keys-concat.txt (UTF-8, one key per line). The subtask of
// every key is written back to subtasks-<kind>.bin (one byte per key; the bench keeps parallelism
// <= 256), and one JSON line with the runtime and keys/second goes to stdout.
//
// String hashes are computed with an explicit loop (String.hashCode's algorithm) rather than
// s.hashCode(): String caches its hash after the first call, and in Flink every record's key is a
// freshly deserialised String whose hash is therefore always computed once per record.
// "concat" strings are built as head + tail (the first 6 and the last 10 characters), which in
// Java yields an ordinary flat String: the JVM row is the reference for JavaScript's rope strings.

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

public class KeyGroupBench {

    static int murmurHash(int code) {
        code *= 0xcc9e2d51;
        code = Integer.rotateLeft(code, 15);
        code *= 0x1b873593;
        code = Integer.rotateLeft(code, 13);
        code = code * 5 + 0xe6546b64;
        code ^= 4;
        code ^= code >>> 16;
        code *= 0x85ebca6b;
        code ^= code >>> 13;
        code *= 0xc2b2ae35;
        code ^= code >>> 16;
        if (code >= 0) return code;
        else if (code != Integer.MIN_VALUE) return -code;
        else return 0;
    }

    static int subtaskForHash(int hash, int maxParallelism, int parallelism) {
        int keyGroup = murmurHash(hash) % maxParallelism;
        return keyGroup * parallelism / maxParallelism;
    }

    static int stringHash(String s) {
        int h = 0;
        for (int i = 0; i < s.length(); i++) h = 31 * h + s.charAt(i);
        return h;
    }

    static long assignInts(int[] keys, int maxP, int p, int[] counts) {
        for (int k : keys) counts[subtaskForHash(k, maxP, p)]++;
        return counts[0];
    }

    static long assignLongs(long[] keys, int maxP, int p, int[] counts) {
        for (long k : keys) counts[subtaskForHash(Long.hashCode(k), maxP, p)]++;
        return counts[0];
    }

    static long assignStrings(String[] keys, int maxP, int p, int[] counts) {
        for (String k : keys) counts[subtaskForHash(stringHash(k), maxP, p)]++;
        return counts[0];
    }

    interface Pass { long run(); }

    /** Median keys/second over `rounds` timed passes, after `warmups` untimed ones (JIT to C2). */
    static double measure(int keysPerPass, int warmups, int rounds, Pass pass) {
        long sink = 0;
        for (int i = 0; i < warmups; i++) sink += pass.run();
        double[] rates = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            sink += pass.run();
            long t1 = System.nanoTime();
            rates[i] = keysPerPass / ((t1 - t0) / 1e9);
        }
        if (sink == 42) System.err.println("(sink)"); // keeps the work observable to the JIT
        Arrays.sort(rates);
        return rates[rounds / 2];
    }

    static ByteBuffer little(Path file) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    }

    static long[] readLongs(Path file) throws IOException {
        ByteBuffer buf = little(file);
        long[] out = new long[buf.remaining() / 8];
        buf.asLongBuffer().get(out);
        return out;
    }

    interface Subtask { int of(int i); }

    static void writeSubtasks(Path dir, String kind, int n, Subtask subtask) throws IOException {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) out[i] = (byte) subtask.of(i);
        Files.write(dir.resolve("subtasks-" + kind + ".bin"), out);
    }

    static String[] readStrings(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return lines.toArray(new String[0]);
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) throw new IllegalArgumentException("usage: KeyGroupBench <dir> <maxParallelism> <parallelism> <kind>");
        Path dir = Path.of(args[0]);
        int maxP = Integer.parseInt(args[1]);
        int p = Integer.parseInt(args[2]);
        String kind = args[3];
        int[] counts = new int[p];
        double rate;
        switch (kind) {
            case "int": {
                ByteBuffer buf = little(dir.resolve("keys-int.bin"));
                int[] ints = new int[buf.remaining() / 4];
                buf.asIntBuffer().get(ints);
                rate = measure(ints.length, 10, 15, () -> assignInts(ints, maxP, p, counts));
                writeSubtasks(dir, kind, ints.length, i -> subtaskForHash(ints[i], maxP, p));
                break;
            }
            case "long":
            case "safe-long": {
                long[] longs = readLongs(dir.resolve("keys-" + kind + ".bin"));
                rate = measure(longs.length, 10, 15, () -> assignLongs(longs, maxP, p, counts));
                writeSubtasks(dir, kind, longs.length, i -> subtaskForHash(Long.hashCode(longs[i]), maxP, p));
                break;
            }
            case "string":
            case "concat": {
                String[] read = readStrings(dir.resolve("keys-" + kind + ".txt"));
                String[] strings = new String[read.length];
                for (int i = 0; i < read.length; i++) {
                    strings[i] = kind.equals("concat") ? read[i].substring(0, 6) + read[i].substring(6) : read[i];
                }
                rate = measure(strings.length, 10, 15, () -> assignStrings(strings, maxP, p, counts));
                writeSubtasks(dir, kind, strings.length, i -> subtaskForHash(strings[i].hashCode(), maxP, p));
                break;
            }
            default:
                throw new IllegalArgumentException("unknown kind " + kind);
        }
        System.out.printf(
            "{\"runtime\":\"%s\",\"rate\":%.0f}%n",
            System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), rate);
    }
}
