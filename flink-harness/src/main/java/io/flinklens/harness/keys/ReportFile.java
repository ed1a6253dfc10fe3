package io.flinklens.harness.keys;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes the routed keys to a file (run at parallelism 1; the cluster shares this machine's file
 * system). The lines go to "<file>.part" and the file appears under its name only when the bounded
 * job closes the function, so a reader never sees half a report.
 */
final class ReportFile extends ProcessFunction<RoutedKey, Void> {
    private final String path;
    private transient BufferedWriter writer;

    ReportFile(String path) {
        this.path = path;
    }

    @Override
    public void processElement(RoutedKey value, Context ctx, Collector<Void> out) throws IOException {
        if (writer == null) {
            writer = Files.newBufferedWriter(Path.of(path + ".part"), StandardCharsets.UTF_8);
        }
        writer.write(value.toString());
        writer.newLine();
    }

    @Override
    public void close() throws Exception {
        if (writer == null) {
            writer = Files.newBufferedWriter(Path.of(path + ".part"), StandardCharsets.UTF_8);
        }
        writer.close();
        Files.move(Path.of(path + ".part"), Path.of(path), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        super.close();
    }
}
