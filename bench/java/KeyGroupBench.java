// Reference benchmark for bench/keygroups.ts: Flink's key -> key group -> subtask assignment
// (MathUtils.murmurHash + KeyGroupRangeAssignment), re-stated from reference.md section 2, on one
// thread of a JDK 17 JVM. Run from the repo root in single-file source mode:
//
//   java bench/java/KeyGroupBench.java <dir> [maxParallelism] [parallelism]
//
// <dir> holds the keys bench/keygroups.ts generated, so both runtimes time the same keys:
// ints.bin (int32 little-endian), longs.bin and safe-longs.bin (int64 little-endian), strings.txt
// (UTF-8, one key per line). For each kind the subtask of every key is written back to
// subtasks-<kind>.bin (one byte per key; the bench keeps parallelism <= 256), and one JSON line
// with keys/second per kind goes to stdout.
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

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int maxP = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int p = args.length > 2 ? Integer.parseInt(args[2]) : 12;

        ByteBuffer intBuf = little(dir.resolve("ints.bin"));
        int[] ints = new int[intBuf.remaining() / 4];
        intBuf.asIntBuffer().get(ints);
        long[] longs = readLongs(dir.resolve("longs.bin"));
        long[] safeLongs = readLongs(dir.resolve("safe-longs.bin"));
        List<String> lines = Files.readAllLines(dir.resolve("strings.txt"), StandardCharsets.UTF_8);
        String[] strings = lines.toArray(new String[0]);
        String[] concat = new String[strings.length];
        for (int i = 0; i < strings.length; i++) concat[i] = strings[i].substring(0, 6) + strings[i].substring(6);

        int[] counts = new int[p];
        double intRate = measure(ints.length, 10, 15, () -> assignInts(ints, maxP, p, counts));
        double longRate = measure(longs.length, 10, 15, () -> assignLongs(longs, maxP, p, counts));
        double safeLongRate = measure(safeLongs.length, 10, 15, () -> assignLongs(safeLongs, maxP, p, counts));
        double stringRate = measure(strings.length, 10, 15, () -> assignStrings(strings, maxP, p, counts));
        double concatRate = measure(concat.length, 10, 15, () -> assignStrings(concat, maxP, p, counts));

        writeSubtasks(dir, "int", ints.length, i -> subtaskForHash(ints[i], maxP, p));
        writeSubtasks(dir, "long", longs.length, i -> subtaskForHash(Long.hashCode(longs[i]), maxP, p));
        writeSubtasks(dir, "safe-long", safeLongs.length, i -> subtaskForHash(Long.hashCode(safeLongs[i]), maxP, p));
        writeSubtasks(dir, "string", strings.length, i -> subtaskForHash(strings[i].hashCode(), maxP, p));
        writeSubtasks(dir, "concat", concat.length, i -> subtaskForHash(concat[i].hashCode(), maxP, p));

        System.out.printf(
            "{\"runtime\":\"%s\",\"int\":%.0f,\"long\":%.0f,\"safeLong\":%.0f,\"string\":%.0f,\"concat\":%.0f}%n",
            System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
            intRate, longRate, safeLongRate, stringRate, concatRate);
    }
}
