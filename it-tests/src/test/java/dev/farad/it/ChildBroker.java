package dev.farad.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A broker in its own JVM ({@link BrokerMain}), started from a properties file, that a test can kill
 * with {@code kill -9} ({@link #kill()}). Its output goes to a file next to the config.
 *
 * <p>Not thread-safe, except {@link #kill()}, which any thread may call.
 */
final class ChildBroker implements AutoCloseable {
    private final Process process;
    private final int port;

    private ChildBroker(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a broker with {@code config} and waits until it listens. */
    static ChildBroker start(Path config) throws IOException {
        Path output = config.resolveSibling(config.getFileName() + "." + System.nanoTime() + ".out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseParallelGC"));
        // Extra JVM flags for the broker, e.g. -Dfarad.child.jvmArgs=-XX:StartFlightRecording=filename=b.jfr
        String extra = System.getProperty("farad.child.jvmArgs", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BrokerMain.class.getName(),
                config.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        String[] line = new String[1];
        await("broker start, output in " + output).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20)).until(() -> {
                    line[0] = announced(output);
                    return line[0] != null || !p.isAlive();
                });
        if (line[0] == null || line[0].startsWith(BrokerMain.FAILED_LINE)) {
            p.destroyForcibly();
            throw new IllegalStateException("broker did not start: " + (line[0] == null ? "exited" : line[0])
                    + "; output in " + output);
        }
        return new ChildBroker(p, Integer.parseInt(line[0].substring(BrokerMain.PORT_LINE.length()).trim()));
    }

    private static String announced(Path output) {
        try {
            for (String l : Files.readAllLines(output, StandardCharsets.UTF_8)) {
                if (l.startsWith(BrokerMain.PORT_LINE) || l.startsWith(BrokerMain.FAILED_LINE)) {
                    return l;
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    /** CPU time the broker process used so far (all its threads), or zero if the platform cannot tell. */
    Duration cpuTime() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** {@code kill -9}: no shutdown hook, no flush; returns once the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the process has ended. */
    boolean isDead() {
        return !process.isAlive();
    }

    /** {@code kill -STOP}: the process stays, silent, its sockets open (a hung broker). */
    void suspend() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** {@code kill -CONT}: undoes {@link #suspend()}. */
    void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("kill " + signal + " " + process.pid() + " exited with " + exit);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
