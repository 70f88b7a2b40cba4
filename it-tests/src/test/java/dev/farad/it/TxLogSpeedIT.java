package dev.farad.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farad.protocol.AckType;
import dev.farad.protocol.Command;
import dev.farad.protocol.Frame;
import dev.farad.protocol.Frames;
import dev.farad.protocol.Header;
import dev.farad.server.RawConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures (does not assert) end-to-end speed through the broker with the transaction log and group
 * commit (fsync every batch): persisted publishes of 128-byte messages from one publisher with many
 * in flight, and replay from EPOCH of 1,000,000 messages to one subscriber. Run with
 * {@code ./mvnw -B -o verify -pl it-tests -am -Dsurefire.excludedGroups= -Dtest=TxLogSpeedIT
 * -Dsurefire.failIfNoSpecifiedTests=false}; figures go to
 * {@code it-tests/target/surefire-reports/dev.farad.it.TxLogSpeedIT-output.txt}. The broker runs in a
 * child JVM with default settings; the load generator runs in the test JVM. To profile the broker add
 * {@code -Dfarad.child.jvmArgs=-XX:StartFlightRecording=filename=broker.jfr} and take
 * {@code jcmd <pid> JFR.dump} while it runs (the broker is killed, not stopped, at the end).
 */
@Tag("soak")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class TxLogSpeedIT {
    private static final int MESSAGES = Integer.getInteger("farad.speed.messages", 1_000_000);
    private static final int PAYLOAD_BYTES = 128;

    @TempDir
    Path dir;

    @Test
    void measurePersistedPublishAndEpochReplay() throws Exception {
        // The broker runs in its own JVM: this one has Netty's paranoid leak detection on.
        Path config = dir.resolve("broker.properties");
        Files.writeString(config, String.join("\n", "port=0",
                "dataDirectory=" + dir.resolve("data").toString().replace("\\", "/"),
                "log.speed.topic=speed", "logFsync=every_batch", ""));
        try (ChildBroker broker = ChildBroker.start(config)) {
            Duration cpu0 = broker.cpuTime();
            double publishRate = publishPersisted(broker.port());
            Duration cpu1 = broker.cpuTime();
            double replayRate = replayFromEpoch(broker.port());
            Duration cpu2 = broker.cpuTime();
            // Broker CPU per message does not depend on how busy the machine is.
            System.out.printf("persisted publish: %,.0f msg/s (%d x %d B, one publisher, fsync per batch);"
                    + " broker CPU %.2f us/msg%n", publishRate, MESSAGES, PAYLOAD_BYTES,
                    cpu1.minus(cpu0).toNanos() / 1e3 / MESSAGES);
            System.out.printf("replay from EPOCH: %,.0f msg/s (%d messages, one subscriber); broker CPU %.2f us/msg%n",
                    replayRate, MESSAGES, cpu2.minus(cpu1).toNanos() / 1e3 / MESSAGES);
            System.out.printf("load average during the run: %s%n",
                    Files.readString(Path.of("/proc/loadavg")).trim());
        }
    }

    /** Streams MESSAGES persisted publishes; returns messages per second until the last is acked. */
    private static double publishPersisted(int port) throws Exception {
        byte[] payload = new byte[PAYLOAD_BYTES];
        Arrays.fill(payload, (byte) 'x');
        try (RawConnection pub = new RawConnection(port)) {
            pub.logon("speed-pub");
            AtomicLong acked = new AtomicLong();
            AtomicReference<Header> failure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                while (acked.get() < MESSAGES) {
                    Frame f = pub.readFrame(Duration.ofSeconds(30));
                    if (f == null) {
                        return;
                    }
                    Header h = f.header();
                    f.release();
                    if (h.ackType() == AckType.PERSISTED) {
                        if (!"success".equals(h.status())) {
                            failure.set(h);
                            return;
                        }
                        acked.set(h.sequence());
                    }
                }
            }, "speed-acks");
            long t0 = System.nanoTime();
            reader.start();
            ByteBuf batch = Unpooled.buffer(1 << 20);
            for (long s = 1; s <= MESSAGES; s++) {
                Frames.write(batch, new Header().command(Command.PUBLISH).topic("speed").sequence(s)
                        .ackTypes(AckType.PERSISTED.bit()), payload);
                if (batch.readableBytes() > 256 * 1024 || s == MESSAGES) {
                    byte[] bytes = new byte[batch.readableBytes()];
                    batch.readBytes(bytes);
                    batch.clear();
                    pub.sendBytes(bytes);
                }
            }
            batch.release();
            reader.join();
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(failure.get()).isNull();
            assertThat(acked.get()).isEqualTo(MESSAGES);
            return MESSAGES / seconds;
        }
    }

    /** Subscribes from EPOCH and counts frames until every message and the completed ack arrived. */
    private static double replayFromEpoch(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setReceiveBufferSize(4 << 20);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            ByteBuf frames = Unpooled.buffer();
            Frames.write(frames, new Header().command(Command.LOGON).clientName("speed-sub"), (byte[]) null);
            Frames.write(frames, new Header().command(Command.SUBSCRIBE).commandId("replay").topic("speed")
                    .bookmark("0").ackTypes(AckType.COMPLETED.bit()), (byte[]) null);
            byte[] bytes = new byte[frames.readableBytes()];
            frames.readBytes(bytes);
            frames.release();
            long t0 = System.nanoTime();
            out.write(bytes);
            out.flush();
            long expected = MESSAGES + 1L;
            long seen = 0;
            byte[] buf = new byte[1 << 20];
            int have = 0;
            while (seen < expected) {
                int n = in.read(buf, have, buf.length - have);
                if (n < 0) {
                    break;
                }
                have += n;
                int at = 0;
                while (have - at >= 4) {
                    int length = ((buf[at] & 0xff) << 24) | ((buf[at + 1] & 0xff) << 16) | ((buf[at + 2] & 0xff) << 8)
                            | (buf[at + 3] & 0xff);
                    if (have - at - 4 < length) {
                        break;
                    }
                    at += 4 + length;
                    seen++;
                }
                System.arraycopy(buf, at, buf, 0, have - at);
                have -= at;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(seen).as("frames (%s)", new String(buf, 0, Math.min(have, 200), StandardCharsets.UTF_8))
                    .isEqualTo(expected);
            return MESSAGES / seconds;
        }
    }
}
