package dev.farad.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farad.protocol.AckType;
import dev.farad.protocol.Command;
import dev.farad.protocol.Frame;
import dev.farad.protocol.FrameDecoder;
import dev.farad.protocol.Frames;
import dev.farad.protocol.Header;
import dev.farad.testsupport.ScriptedBroker.Fault;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ScriptedBroker and FaultProxy, driven through plain sockets. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FixturesTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    /** A blocking frame reader/writer over a socket. */
    private static final class Wire implements AutoCloseable {
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;

        Wire(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(5000);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        void send(Header h, String payload) throws IOException {
            ByteBuf buf = Unpooled.buffer();
            Frames.write(buf, h, payload == null ? null : payload.getBytes());
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            buf.release();
            out.write(bytes);
            out.flush();
        }

        Header read() throws IOException {
            int length = in.readInt();
            byte[] body = new byte[length];
            in.readFully(body);
            ByteBuf buf = Unpooled.buffer().writeInt(length).writeBytes(body);
            Frame f = FrameDecoder.decodeOne(buf, FrameDecoder.DEFAULT_MAX_FRAME_BYTES,
                    FrameDecoder.DEFAULT_MAX_HEADER_BYTES);
            f.release();
            buf.release();
            return f.header();
        }

        Header logon(String name) throws IOException {
            send(new Header().command(Command.LOGON).commandId("1").clientName(name)
                    .ackTypes(AckType.PROCESSED.bit()), null);
            return read();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Whether the peer closed the stream (a read timeout instead fails the test). */
    private static boolean closedByPeer(InputStream in) throws IOException {
        return in.read() < 0;
    }

    /** Whether nothing at all arrives before the socket's read timeout. */
    private static boolean silent(InputStream in) throws IOException {
        try {
            in.read();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        }
    }

    @Test
    void shouldAnswerLogonRecordCommandsAndDeliverPublishes() throws Exception {
        try (ScriptedBroker broker = ScriptedBroker.start(); Wire w = new Wire(broker.port())) {
            assertThat(w.logon("fixture").status()).isEqualTo("success");
            w.send(new Header().command(Command.SUBSCRIBE).commandId("2").topic("t")
                    .ackTypes(AckType.PROCESSED.bit()), null);
            assertThat(w.read().subId()).isEqualTo("2");
            w.send(new Header().command(Command.PUBLISH).topic("t"), "hello");
            Header delivery = w.read();
            assertThat(delivery.command()).isEqualTo(Command.PUBLISH);
            assertThat(delivery.subId()).isEqualTo("2");
            assertThat(broker.takeCommand("p", WAIT).payload()).isEqualTo("hello".getBytes());
        }
    }

    @Test
    void shouldCloseAfterLogonWithDisconnectAfterLogonFault() throws Exception {
        try (ScriptedBroker broker = ScriptedBroker.start()) {
            broker.nextConnectionFaults(Fault.DISCONNECT_AFTER_LOGON);
            try (Wire w = new Wire(broker.port())) {
                assertThat(w.logon("gone").status()).isEqualTo("success");
                assertThat(closedByPeer(w.in)).isTrue();
            }
        }
    }

    @Test
    void shouldRejectSubscribeWithRejectSubscribeFault() throws Exception {
        try (ScriptedBroker broker = ScriptedBroker.start()) {
            broker.nextConnectionFaults(Fault.REJECT_SUBSCRIBE);
            try (Wire w = new Wire(broker.port())) {
                w.logon("rejected");
                w.send(new Header().command(Command.SUBSCRIBE).commandId("2").topic("t")
                        .ackTypes(AckType.PROCESSED.bit()), null);
                Header ack = w.read();
                assertThat(ack.status()).isEqualTo("failure");
                assertThat(ack.reason()).isEqualTo("bad filter");
            }
        }
    }

    @Test
    void shouldRecordButNeverAnswerWithStallFault() throws Exception {
        try (ScriptedBroker broker = ScriptedBroker.start()) {
            broker.nextConnectionFaults(Fault.STALL);
            try (Wire w = new Wire(broker.port())) {
                assertThat(w.logon("stalled").status()).isEqualTo("success");
                w.socket.setSoTimeout(300);
                w.send(new Header().command(Command.FLUSH).commandId("2").ackTypes(AckType.PROCESSED.bit()), null);
                assertThat(broker.takeCommand("flush", WAIT)).isNotNull();
                assertThat(silent(w.in)).isTrue();
            }
        }
    }

    @Test
    void shouldSendHeartbeatsUnlessDropHeartbeatsFault() throws Exception {
        try (ScriptedBroker broker = ScriptedBroker.start(); Wire w = new Wire(broker.port())) {
            w.logon("beating");
            w.send(new Header().command(Command.HEARTBEAT).options("start,1"), null);
            assertThat(w.read().command()).isEqualTo(Command.HEARTBEAT);
        }
        try (ScriptedBroker broker = ScriptedBroker.start()) {
            broker.nextConnectionFaults(Fault.DROP_HEARTBEATS);
            try (Wire w = new Wire(broker.port())) {
                w.logon("silent");
                w.send(new Header().command(Command.HEARTBEAT).options("start,1"), null);
                w.socket.setSoTimeout(1500);
                assertThat(silent(w.in)).isTrue();
            }
        }
    }

    @Test
    void shouldCloseInsideAFrameWithCloseMidFrameFault() throws Exception {
        try (ScriptedBroker broker = ScriptedBroker.start()) {
            broker.nextConnectionFaults(Fault.CLOSE_MID_FRAME);
            try (Wire w = new Wire(broker.port())) {
                assertThat(w.logon("half").status()).isEqualTo("success");
                int length = w.in.readInt();
                byte[] rest = w.in.readAllBytes();
                assertThat(rest.length).isLessThan(length);
            }
        }
    }

    @Test
    void shouldRelayThenBlackholeThenRestoreThenCut() throws Exception {
        try (ScriptedBroker broker = ScriptedBroker.start();
                FaultProxy proxy = FaultProxy.start("127.0.0.1", broker.port());
                Wire w = new Wire(proxy.port())) {
            assertThat(w.logon("proxied").status()).isEqualTo("success");

            proxy.blackhole();
            w.send(new Header().command(Command.FLUSH).commandId("2").ackTypes(AckType.PROCESSED.bit()), null);
            assertThat(broker.takeCommand("flush", Duration.ofMillis(300))).isNull();

            proxy.restore();
            w.send(new Header().command(Command.FLUSH).commandId("3").ackTypes(AckType.PROCESSED.bit()), null);
            assertThat(w.read().commandId()).isEqualTo("3");

            proxy.cut();
            assertThat(closedByPeer(w.in)).isTrue();
        }
    }
}
