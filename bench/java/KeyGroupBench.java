// Reference benchmark for bench/keygroups.ts: Flink's key -> key group -> subtask assignment
// (MathUtils.murmurHash + KeyGroupRangeAssignment), re-stated from reference.md section 2, on one
// thread of a JDK 17 JVM. Run from the repo root in single-file source mode:
//
//   java bench/java/KeyGroupBench.java [intKeys] [stringKeys] [maxParallelism] [parallelism]
//
// Prints one JSON line with keys/second for int keys and for 16-character string keys.
//
// String hashes are computed with an explicit loop (String.hashCode's algorithm) rather than
// s.hashCode(): String caches its hash after the first call, and in Flink every record's key is a
// freshly deserialised String whose hash is therefore always computed once per record.

import java.util.Arrays;
import java.util.SplittableRandom;

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

    public static void main(String[] args) {
        int intKeys = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        int stringKeys = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        int maxP = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        int p = args.length > 3 ? Integer.parseInt(args[3]) : 12;

        SplittableRandom random = new SplittableRandom(20240521);
        int[] ints = new int[intKeys];
        for (int i = 0; i < intKeys; i++) ints[i] = random.nextInt();
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
        String[] strings = new String[stringKeys];
        char[] buf = new char[16];
        for (int i = 0; i < stringKeys; i++) {
            for (int j = 0; j < 16; j++) buf[j] = alphabet.charAt(random.nextInt(alphabet.length()));
            strings[i] = new String(buf);
        }

        int[] counts = new int[p];
        double intRate = measure(intKeys, 10, 15, () -> assignInts(ints, maxP, p, counts));
        double stringRate = measure(stringKeys, 10, 15, () -> assignStrings(strings, maxP, p, counts));

        System.out.printf(
            "{\"runtime\":\"%s\",\"intKeysPerSec\":%.0f,\"stringKeysPerSec\":%.0f,\"intKeys\":%d,\"stringKeys\":%d,\"maxParallelism\":%d,\"parallelism\":%d}%n",
            System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
            intRate, stringRate, intKeys, stringKeys, maxP, p);
    }
}
