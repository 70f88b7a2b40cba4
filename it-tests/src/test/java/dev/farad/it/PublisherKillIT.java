package dev.farad.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farad.client.BookmarkStore;
import dev.farad.client.Client;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, scenario 4: the publishing process itself is killed ({@code kill -9}) mid-stream and
 * restarted with the same {@code FilePublishStore}; it replays what was never persisted, and the
 * broker's log ends up with every stored message exactly once, in order.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PublisherKillIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Process startPublisher(String uri, int from, int to, Path output) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                PublisherMain.class.getName(), uri, dir.resolve("pub.store").toString(),
                dir.resolve("pub.bookmarks").toString(), Integer.toString(from), Integer.toString(to))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private static int lastStored(Path output) throws IOException {
        int last = 0;
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            if (line.startsWith(PublisherMain.STORED)) {
                last = Integer.parseInt(line.substring(PublisherMain.STORED.length()).trim());
            }
        }
        return last;
    }

    @Test
    void shouldReplayWhatWasNeverPersistedAfterThePublishingProcessIsKilled() throws Exception {
        int port = freePort();
        Path config = dir.resolve("broker.properties");
        Files.writeString(config, "port=" + port + "\ndataDirectory="
                + dir.resolve("data").toString().replace("\\", "/") + "\nlog.orders.topic=orders\n");
        String uri = "tcp://127.0.0.1:" + port + "/amps/json";
        try (ChildBroker broker = ChildBroker.start(config)) {
            assertThat(broker.port()).isEqualTo(port);
            Path firstOut = dir.resolve("first.out");
            Process first = startPublisher(uri, 1, 1_000_000, firstOut);
            await().atMost(WAIT).until(() -> lastStored(firstOut) >= 1_000 || !first.isAlive());
            first.destroyForcibly();
            first.waitFor(10, TimeUnit.SECONDS);
            int stored = lastStored(firstOut);
            assertThat(stored).as("publishes the first process had stored").isGreaterThanOrEqualTo(1_000);

            // The restarted process publishes nothing new: it only replays what its store holds.
            Path secondOut = dir.resolve("second.out");
            Process second = startPublisher(uri, 1, 0, secondOut);
            assertThat(second.waitFor(90, TimeUnit.SECONDS)).as("second publisher finished").isTrue();
            assertThat(Files.readString(secondOut)).contains(PublisherMain.DONE);

            List<String> logged = readLogFromEpoch(uri, stored);
            assertThat(logged).as("nothing twice").doesNotHaveDuplicates();
            int n = logged.size();
            assertThat(n).as("every stored publish is in the log").isGreaterThanOrEqualTo(stored);
            assertThat(logged).as("one contiguous run, in publish order")
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, n).mapToObj(i -> "m" + i).toList());
            System.out.printf("publisher killed after %d stored publishes; %d in the log after its restart%n",
                    stored, n);
        }
    }

    private static List<String> readLogFromEpoch(String uri, int atLeast) {
        List<String> got = new CopyOnWriteArrayList<>();
        try (Client c = new Client("log-reader")) {
            c.connect(uri);
            c.logon();
            c.bookmarkSubscribe(m -> got.add(m.dataAsString()), "orders", BookmarkStore.EPOCH, null, WAIT);
            int[] last = {-1};
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                int n = got.size();
                boolean stable = n == last[0] && n >= atLeast;
                last[0] = n;
                return stable;
            });
        }
        return new ArrayList<>(got);
    }
}
