package dev.farad.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farad.protocol.AckType;
import dev.farad.protocol.Command;
import dev.farad.protocol.Header;
import dev.farad.protocol.Reason;
import dev.farad.server.Broker;
import dev.farad.server.BrokerConfig;
import dev.farad.server.RawConnection;
import dev.farad.server.SowTopicConfig;
import dev.farad.server.TxLogConfig;
import dev.farad.testsupport.DiskFullChannels;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk (injected: writes and fsyncs fail with "No space left on device") never acknowledges a
 * write: the publisher gets {@code tx store failure}, subscribers never see the message, the broker
 * keeps serving reads, and writes succeed again once space returns.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DiskFullIT {
    private static final int PROCESSED = AckType.PROCESSED.bit();
    private static final int PERSISTED = AckType.PERSISTED.bit();

    @TempDir
    Path dir;

    private static Header publishAndAwaitPersisted(RawConnection c, long seq, String data) {
        String cid = c.nextCommandId();
        c.send(new Header().command(Command.PUBLISH).commandId(cid).topic("orders").sequence(seq)
                .ackTypes(PERSISTED), data);
        return c.awaitFrame(h -> h.ackType() == AckType.PERSISTED && cid.equals(h.commandId()));
    }

    @Test
    void shouldFailWritesWhileTheDiskIsFullAndResumeAfter() {
        DiskFullChannels disk = new DiskFullChannels();
        BrokerConfig config = BrokerConfig.builder().port(0).sowTopic(SowTopicConfig.keyed("orders", "/id"))
                .txLog(TxLogConfig.of(dir, "orders").withChannels(disk)).build();
        try (Broker broker = Broker.start(config);
                RawConnection pub = new RawConnection(broker.port());
                RawConnection sub = new RawConnection(broker.port())) {
            pub.logon("disk-pub");
            sub.logon("disk-sub");
            String sid = sub.nextCommandId();
            sub.send(new Header().command(Command.SUBSCRIBE).commandId(sid).topic("orders").ackTypes(PROCESSED),
                    (byte[]) null);
            assertThat(sub.awaitAck(sid).status()).isEqualTo("success");

            assertThat(publishAndAwaitPersisted(pub, 1, "{\"id\":1,\"v\":\"a\"}").status()).isEqualTo("success");
            assertThat(sub.awaitDeliveries(1)).containsExactly("{\"id\":1,\"v\":\"a\"}");

            disk.full(true);
            Header failed = publishAndAwaitPersisted(pub, 2, "{\"id\":1,\"v\":\"lost\"}");
            assertThat(failed.status()).isEqualTo("failure");
            assertThat(failed.reason()).startsWith(Reason.TX_STORE_FAILURE).contains(DiskFullChannels.NO_SPACE);
            assertThat(failed.sequence()).isEqualTo(2);

            // Reads keep working while writes fail.
            String q = sub.nextCommandId();
            sub.send(new Header().command(Command.SOW).commandId(q).topic("orders")
                    .ackTypes(PROCESSED | AckType.COMPLETED.bit()), (byte[]) null);
            assertThat(sub.awaitFrame(h -> h.command() == Command.SOW)).isNotNull();
            assertThat(sub.awaitFrame(h -> h.ackType() == AckType.COMPLETED).status()).isEqualTo("success");

            disk.full(false);
            // The failed sequence may be sent again: it was never stored.
            assertThat(publishAndAwaitPersisted(pub, 2, "{\"id\":1,\"v\":\"b\"}").status()).isEqualTo("success");
            assertThat(publishAndAwaitPersisted(pub, 3, "{\"id\":2,\"v\":\"c\"}").status()).isEqualTo("success");
            assertThat(sub.awaitDeliveries(2)).containsExactly("{\"id\":1,\"v\":\"b\"}", "{\"id\":2,\"v\":\"c\"}");

            String replay = sub.nextCommandId();
            sub.send(new Header().command(Command.SUBSCRIBE).commandId(replay).subId("replay").topic("orders")
                    .bookmark("0").ackTypes(AckType.COMPLETED.bit()), (byte[]) null);
            assertThat(sub.awaitDeliveries(3)).containsExactly("{\"id\":1,\"v\":\"a\"}", "{\"id\":1,\"v\":\"b\"}",
                    "{\"id\":2,\"v\":\"c\"}");
        }
    }
}
