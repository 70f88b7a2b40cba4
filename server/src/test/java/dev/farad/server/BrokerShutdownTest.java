package dev.farad.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farad.protocol.AckType;
import dev.farad.protocol.Command;
import dev.farad.protocol.Frame;
import dev.farad.protocol.Header;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A clean stop of a busy broker: whatever a publisher saw acknowledged was sent to the subscribers. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BrokerShutdownTest {
    private static final Duration READ = Duration.ofSeconds(10);

    @Test
    void shouldDeliverEveryAcknowledgedPublishBeforeClosingConnectionsOnShutdown() throws Exception {
        Broker broker = Broker.start(TestConfigs.builder().port(0).build());
        try (RawConnection sub = new RawConnection(broker.port()); RawConnection pub = new RawConnection(broker.port())) {
            assertThat(sub.logon("shutdown-sub").status()).isEqualTo("success");
            assertThat(pub.logon("shutdown-pub").status()).isEqualTo("success");
            String cid = sub.nextCommandId();
            sub.send(new Header().command(Command.SUBSCRIBE).commandId(cid).topic("t").subId("s")
                    .ackTypes(AckType.PROCESSED.bit()), (byte[]) null);
            assertThat(sub.awaitAck(cid).status()).isEqualTo("success");

            CompletableFuture<List<Long>> received = CompletableFuture.supplyAsync(() -> readDeliveries(sub));
            AtomicBoolean stopSending = new AtomicBoolean();
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                // Keeps the broker busy until the shutdown cuts the connection.
                for (long n = 1; n <= 2_000_000 && !stopSending.get(); n++) {
                    try {
                        pub.send(new Header().command(Command.PUBLISH).commandId(Long.toString(n)).topic("t")
                                .ackTypes(AckType.PROCESSED.bit()), Long.toString(n));
                    } catch (RuntimeException closed) {
                        return;
                    }
                }
            });

            long highestAcked = 0;
            CompletableFuture<Void> closing = null;
            Header h;
            while ((h = pub.read(READ)) != null) {
                if (h.command() == Command.ACK && "success".equals(h.status())) {
                    highestAcked = Math.max(highestAcked, Long.parseLong(h.commandId()));
                    if (closing == null && highestAcked >= 2_000) {
                        closing = CompletableFuture.runAsync(broker::close);
                    }
                }
            }
            stopSending.set(true);
            assertThat(closing).as("the broker acknowledged 2,000 publishes").isNotNull();
            closing.get(20, TimeUnit.SECONDS);
            sending.get(20, TimeUnit.SECONDS);

            List<Long> delivered = received.get(20, TimeUnit.SECONDS);
            assertThat(delivered.size()).isGreaterThanOrEqualTo((int) highestAcked);
            for (int i = 0; i < highestAcked; i++) {
                assertThat(delivered.get(i)).as("delivery %d", i + 1).isEqualTo(i + 1L);
            }
        } finally {
            broker.close();
        }
    }

    private static List<Long> readDeliveries(RawConnection sub) {
        List<Long> out = new ArrayList<>();
        Frame f;
        while ((f = sub.readFrame(READ)) != null) {
            if (f.header().command() == Command.PUBLISH) {
                out.add(Long.parseLong(new String(f.payloadBytes(), StandardCharsets.UTF_8)));
            }
            f.release();
        }
        return out;
    }
}
