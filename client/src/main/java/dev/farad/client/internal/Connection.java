package dev.farad.client.internal;

import dev.farad.client.exceptions.ConnectionException;
import dev.farad.client.exceptions.ConnectionRefusedException;
import dev.farad.client.exceptions.DisconnectedException;
import dev.farad.client.exceptions.StreamException;
import dev.farad.client.exceptions.TimedOutException;
import dev.farad.protocol.FaradUri;
import dev.farad.protocol.Frame;
import dev.farad.protocol.FrameDecoder;
import dev.farad.protocol.Frames;
import dev.farad.protocol.Header;
import dev.farad.protocol.ProtocolException;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.DecoderException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One TCP connection to a broker, with its own receive thread ({@code farad-client-io-<n>}, a
 * one-thread Netty event loop): reads frames, keeps the heartbeat timers, and reports the loss of
 * the connection exactly once.
 *
 * <p>A new {@code Connection} (and thread) is made for every connect; it is never reused after it
 * closes. Thread-safe: {@link #send} may be called from any thread; {@link Listener} methods are
 * called on the receive thread, except that {@link Listener#onClosed} runs on whichever thread first
 * {@linkplain #reportLost reports} the loss.
 */
public final class Connection {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int PENDING_INITIAL = 4096;
    /** Past this a send buffer is closed and a new one begun, so that no single buffer grows without bound. */
    private static final int PENDING_MAX = 64 * 1024;

    /** Receives what happens on a connection. */
    public interface Listener {
        /** A frame arrived; the listener must release it. Called on the receive thread. */
        void onFrame(Connection connection, Frame frame);

        /** The frames of one socket read were all handed to {@link #onFrame}. Called on the receive thread. */
        void onReadComplete(Connection connection);

        /** The connection is gone; {@code cause} says why. Called once, on the detecting thread. */
        void onClosed(Connection connection, Throwable cause);
    }

    private final FaradUri uri;
    private final Listener listener;
    private final EventLoopGroup group;
    private final Channel channel;
    private final AtomicBoolean lost = new AtomicBoolean();
    private volatile boolean intentional;
    private volatile boolean loggedOn;
    private volatile Throwable failure;
    private volatile ReadTimeout readTimeout;
    private final Object outboundLock = new Object();
    private ByteBuf pending; // guarded by outboundLock
    private final List<ByteBuf> full = new ArrayList<>(); // guarded by outboundLock
    private boolean drainScheduled; // guarded by outboundLock
    private final Runnable drainTask = this::drainOutbound;
    private ScheduledFuture<?> beatTask;
    private ScheduledFuture<?> checkTask;

    private Connection(FaradUri uri, Listener listener, EventLoopGroup group, Channel channel) {
        this.uri = uri;
        this.listener = listener;
        this.group = group;
        this.channel = channel;
    }

    /**
     * Opens a connection.
     *
     * @throws ConnectionRefusedException when nothing accepts connections at the address
     * @throws ConnectionException for any other failure to connect
     */
    public static Connection open(FaradUri uri, Listener listener) {
        return open(uri, listener, null);
    }

    /**
     * Opens a connection; for a {@code tcps} URI, TLS through {@code tls} (the JDK's default
     * context, which trusts the JDK's CA certificates, when {@code null}), with the server's
     * certificate checked against the URI's host name.
     *
     * @throws ConnectionException also when the TLS handshake fails (the cause says why)
     */
    public static Connection open(FaradUri uri, Listener listener, javax.net.ssl.SSLContext tls) {
        int n = COUNTER.incrementAndGet();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "farad-client-io-" + n);
            t.setDaemon(true);
            return t;
        };
        // epoll saves a copy and a selector pass per read and write; NIO where it is missing.
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = epoll ? new EpollEventLoopGroup(1, threads) : new NioEventLoopGroup(1, threads);
        Connection[] self = new Connection[1];
        // Kept here: once a failed handshake closes the channel, the pipeline no longer holds it.
        io.netty.handler.ssl.SslHandler[] tlsHandler = new io.netty.handler.ssl.SslHandler[1];
        Bootstrap b = new Bootstrap().group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (uri.isTls()) {
                            tlsHandler[0] = ClientTls.handler(tls, uri);
                            ch.pipeline().addLast("tls", tlsHandler[0]);
                        }
                        // Payloads become arrays at once (every message keeps its data as an array anyway), and a
                        // stream of deliveries to one subscription parses its repeated header once.
                        ch.pipeline().addLast(FrameDecoder.forReceiver(), new Inbound(self));
                    }
                });
        ChannelFuture f = b.connect(uri.host(), uri.port()).awaitUninterruptibly();
        if (!f.isSuccess()) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            Throwable cause = f.cause();
            if (cause instanceof ConnectException) {
                throw new ConnectionRefusedException("connection to " + uri + " refused: "
                        + cause.getMessage(), null, cause);
            }
            throw new ConnectionException("could not connect to " + uri + ": " + cause, null, cause);
        }
        Connection c = new Connection(uri, listener, group, f.channel());
        self[0] = c;
        Throwable tlsFailure = ClientTls.awaitHandshake(tlsHandler[0]);
        if (tlsFailure != null) {
            c.close();
            throw new ConnectionException("TLS handshake with " + uri + " failed: " + tlsFailure.getMessage(), null,
                    tlsFailure);
        }
        if (!f.channel().isActive()) {
            c.close();
            throw new ConnectionException("connection to " + uri + " closed as soon as it opened", null,
                    c.failure);
        }
        return c;
    }

    /** The URI this connection was opened to. */
    public FaradUri uri() {
        return uri;
    }

    /** Whether the connection is open and its loss has not been reported. */
    public boolean isActive() {
        return !lost.get() && channel.isActive();
    }

    /** Records that the broker accepted a logon on this connection. */
    public void markLoggedOn() {
        loggedOn = true;
    }

    /** Whether the broker accepted a logon on this connection. */
    public boolean loggedOn() {
        return loggedOn;
    }

    /** Whether the calling thread is this connection's receive thread. */
    public boolean inReceiveThread() {
        return channel.eventLoop().inEventLoop();
    }

    /**
     * Sends one frame. Returns at once; a write that fails later closes the connection.
     *
     * @throws DisconnectedException if the connection is already known to be closed
     */
    public void send(Header header, byte[] payload) {
        sendFrame(null, header, null, payload);
    }

    /**
     * Sends one frame whose header is already encoded ({@code headerJson}, the whole JSON object):
     * the publish fast path, which skips building and encoding a {@link Header} per message.
     *
     * @param what the command's name, for the error when the connection is closed
     * @throws DisconnectedException if the connection is already known to be closed
     */
    public void sendEncoded(String what, byte[] headerJson, byte[] payload) {
        sendFrame(what, null, headerJson, payload);
    }

    private void sendFrame(String what, Header header, byte[] headerJson, byte[] payload) {
        if (!isActive()) {
            throw disconnected(what, header);
        }
        boolean schedule;
        synchronized (outboundLock) {
            // Frames are appended to one buffer and the drain task writes it whole: a burst of
            // publishes costs one buffer, one outbound entry and one write(), not one of each per frame.
            if (pending == null) {
                pending = channel.alloc().directBuffer(PENDING_INITIAL);
            }
            int mark = pending.writerIndex();
            try {
                if (header != null) {
                    Frames.write(pending, header, payload);
                } else {
                    Frames.write(pending, headerJson, payload);
                }
            } catch (RuntimeException e) {
                pending.writerIndex(mark); // never half a frame on the wire
                throw e;
            }
            if (pending.readableBytes() >= PENDING_MAX) {
                full.add(pending);
                pending = null;
            }
            schedule = !drainScheduled;
            drainScheduled = true;
        }
        if (schedule) {
            try {
                channel.eventLoop().execute(drainTask);
            } catch (RejectedExecutionException e) {
                drainOutbound();
                throw disconnected(what, header);
            }
        }
    }

    private DisconnectedException disconnected(String what, Header header) {
        return new DisconnectedException("not connected to " + uri + " (sending "
                + (header != null ? header.commandName() : what) + ")", null, failure);
    }

    private void drainOutbound() {
        ByteBuf last;
        List<ByteBuf> filled;
        synchronized (outboundLock) {
            drainScheduled = false;
            last = pending;
            pending = null;
            filled = full.isEmpty() ? List.of() : new ArrayList<>(full);
            full.clear();
        }
        boolean active = channel.isActive();
        for (ByteBuf buf : filled) {
            write(buf, active);
        }
        if (last != null) {
            write(last, active);
        }
        if (active && (last != null || !filled.isEmpty())) {
            channel.flush();
        }
    }

    private void write(ByteBuf buf, boolean active) {
        if (active) {
            // A failed write reaches exceptionCaught, which records it and closes the channel.
            channel.write(buf, channel.voidPromise());
        } else {
            buf.release();
        }
    }

    /**
     * Starts heartbeat timers on the receive thread: sends {@code beat} every {@code interval}
     * and reports the connection lost when nothing was read for {@code readTimeout}.
     */
    public void startHeartbeat(Duration interval, Duration readTimeout, Header beat) {
        long intervalNs = interval.toNanos();
        onReceiveThread(() -> {
            stopHeartbeatTimers();
            ReadTimeout rule = new ReadTimeout(System::nanoTime, readTimeout);
            this.readTimeout = rule;
            beatTask = channel.eventLoop().scheduleAtFixedRate(() -> {
                if (isActive()) {
                    send(beat, null);
                }
            }, intervalNs, intervalNs, TimeUnit.NANOSECONDS);
            checkTask = channel.eventLoop().scheduleAtFixedRate(() -> {
                Duration silence = rule.expiredSilence();
                if (silence != null) {
                    reportLost(new TimedOutException("heartbeat: nothing received from " + uri + " for "
                            + silence + " (read timeout " + readTimeout + ")", null, null));
                }
            }, rule.checkPeriodNs(), rule.checkPeriodNs(), TimeUnit.NANOSECONDS);
        });
    }

    /** Stops the heartbeat timers, if running. */
    public void stopHeartbeat() {
        onReceiveThread(this::stopHeartbeatTimers);
    }

    /** Runs {@code task} on the receive thread; does nothing once that thread has stopped (the connection is gone). */
    private void onReceiveThread(Runnable task) {
        try {
            channel.eventLoop().execute(task);
        } catch (RejectedExecutionException stopped) {
            // Closed: there is nothing left to time.
        }
    }

    private void stopHeartbeatTimers() {
        readTimeout = null;
        if (beatTask != null) {
            beatTask.cancel(false);
            checkTask.cancel(false);
            beatTask = null;
            checkTask = null;
        }
    }

    /**
     * Closes the connection on purpose: the listener hears {@code onClosed} only if nobody
     * reported the loss before.
     */
    public void close() {
        intentional = true;
        lost.set(true);
        shutdown();
    }

    /** Whether {@link #close()} was called. */
    public boolean closedIntentionally() {
        return intentional;
    }

    /**
     * Reports the connection lost (once): closes the socket and calls {@link Listener#onClosed} on
     * the calling thread. Later reports do nothing.
     *
     * @return whether this call was the one that reported it
     */
    public boolean reportLost(Throwable cause) {
        if (!lost.compareAndSet(false, true)) {
            return false;
        }
        shutdown();
        listener.onClosed(this, cause);
        return true;
    }

    private void shutdown() {
        channel.close();
        try {
            channel.eventLoop().execute(this::drainOutbound);
        } catch (RejectedExecutionException e) {
            drainOutbound();
        }
        group.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
    }

    @Override
    public String toString() {
        return "Connection{" + uri + '}';
    }

    /** The pipeline's last handler: hands frames to the listener and notices the end. */
    private static final class Inbound extends ChannelInboundHandlerAdapter {
        private final Connection[] self;

        Inbound(Connection[] self) {
            this.self = self;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Connection c = self[0];
            Frame frame = (Frame) msg;
            if (c == null || c.lost.get()) {
                frame.release();
                return;
            }
            ReadTimeout rule = c.readTimeout;
            if (rule != null) {
                rule.onRead();
            }
            c.listener.onFrame(c, frame);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            Connection c = self[0];
            if (c != null) {
                c.listener.onReadComplete(c);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Connection c = self[0];
            Throwable t = cause;
            if (cause instanceof DecoderException && cause.getCause() instanceof ProtocolException) {
                t = new StreamException("malformed data from " + (c == null ? "broker" : c.uri) + ": "
                        + cause.getCause().getMessage(), null, cause.getCause());
            }
            if (c != null) {
                c.failure = t;
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Connection c = self[0];
            if (c != null) {
                Throwable cause = c.failure;
                c.reportLost(cause != null ? cause
                        : new DisconnectedException("connection to " + c.uri + " closed by the broker",
                                null, null));
            }
        }
    }
}
