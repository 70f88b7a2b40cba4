package dev.farad.server;

import dev.farad.protocol.Command;
import dev.farad.protocol.Frame;
import dev.farad.protocol.FrameDecoder;
import dev.farad.protocol.Frames;
import dev.farad.protocol.Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A blocking socket that speaks raw frames, for tests of the broker itself (which cannot use the
 * client). Writes whole frames or arbitrary bytes; reads frames with a timeout.
 *
 * <p>Not thread-safe.
 */
public final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteBuf received = Unpooled.buffer();
    private final byte[] chunk = new byte[64 * 1024];
    private int commandIds;

    public RawConnection(int port) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Logs on as {@code name} and waits for the processed ack; returns it. */
    public Header logon(String name) {
        return logon(name, null, null);
    }

    /** Logs on with credentials and waits for the processed ack; returns it. */
    public Header logon(String name, String user, String password) {
        String cid = nextCommandId();
        Header h = new Header().command(Command.LOGON).commandId(cid).clientName(name).ackTypes(
                dev.farad.protocol.AckType.PROCESSED.bit());
        if (user != null) {
            h.userId(user);
        }
        if (password != null) {
            h.password(password);
        }
        send(h, (byte[]) null);
        return awaitAck(cid);
    }

    public String nextCommandId() {
        return "r" + (++commandIds);
    }

    public void send(Header h, String payload) {
        send(h, payload == null ? null : payload.getBytes(StandardCharsets.UTF_8));
    }

    public void send(Header h, byte[] payload) {
        ByteBuf buf = Unpooled.buffer();
        Frames.write(buf, h, payload);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        sendBytes(bytes);
    }

    public void sendBytes(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next frame, or {@code null} if none arrives within {@code timeout}. */
    public Header read(Duration timeout) {
        Frame f = readFrame(timeout);
        if (f == null) {
            return null;
        }
        f.release();
        return f.header();
    }

    /** The next frame with its payload (caller releases), or {@code null} on timeout. */
    public Frame readFrame(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Frame f = FrameDecoder.decodeOne(received, Integer.MAX_VALUE, Integer.MAX_VALUE);
            if (f != null) {
                // Copy before compacting: the payload is a slice of the receive buffer.
                Frame copy = new Frame(f.header(), Unpooled.copiedBuffer(f.payload()));
                f.release();
                received.discardReadBytes();
                return copy;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            try {
                socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
                int n = in.read(chunk);
                if (n < 0) {
                    return null;
                }
                received.writeBytes(chunk, 0, n);
            } catch (SocketTimeoutException e) {
                return null;
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** Reads until a frame matches, skipping others; {@code null} if none within 5 seconds. */
    public Header awaitFrame(Predicate<Header> wanted) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            Header h = read(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (h != null && wanted.test(h)) {
                return h;
            }
            if (h == null) {
                return null;
            }
        }
        return null;
    }

    /** Waits for the ack of command {@code cid}. */
    public Header awaitAck(String cid) {
        return awaitFrame(h -> h.command() == Command.ACK && cid.equals(h.commandId()));
    }

    /** Reads the next {@code n} deliveries' payloads as strings, failing after 5 seconds. */
    public List<String> awaitDeliveries(int n) {
        List<String> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (out.size() < n && System.nanoTime() < deadline) {
            Frame f = readFrame(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (f == null) {
                break;
            }
            if (f.header().command() == Command.PUBLISH) {
                out.add(new String(f.payloadBytes(), StandardCharsets.UTF_8));
            }
            f.release();
        }
        return out;
    }

    /** Whether the broker closed this connection within {@code timeout}. */
    public boolean awaitClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                int n = in.read(chunk);
                if (n < 0) {
                    return true;
                }
                received.writeBytes(chunk, 0, n);
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
        received.release();
    }
}
