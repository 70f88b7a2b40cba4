package dev.farad.server.internal;

import dev.farad.protocol.Command;
import dev.farad.protocol.Frame;
import dev.farad.protocol.Frames;
import dev.farad.protocol.Header;
import dev.farad.protocol.ProtocolException;
import dev.farad.protocol.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderException;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The I/O-thread side of one connection: hands decoded frames to the {@link Engine}, answers and
 * enforces heartbeats, enforces the logon timeout, and logs one line when the connection opens and
 * one when it closes, with the reason.
 *
 * <p>Heartbeats are handled here rather than on the engine so that a busy engine can never make a
 * healthy client look dead.
 *
 * <p>One instance per channel; all methods run on the channel's event loop.
 */
final class ConnectionHandler extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger("dev.farad.server.Connection");
    private static final AttributeKey<String> CLOSE_REASON = AttributeKey.valueOf("farad.closeReason");
    private static final AtomicLong IDS = new AtomicLong();
    private static final int MAX_HELD = 1024;

    private final Engine engine;
    private final AtomicInteger openConnections;
    private final int maxConnections;
    private final long logonTimeoutNanos;
    private Connection connection;
    private long lastReadNanos;
    private long lastWriteNanos;
    private long heartbeatIntervalNanos;
    private ScheduledFuture<?> heartbeatTimer;
    private ScheduledFuture<?> logonTimer;
    private boolean counted;
    private final Authentication authentication;
    /** Whether a logon is with the authenticator; frames that arrive meanwhile wait in {@link #held}. */
    private boolean authenticating;
    private final ArrayDeque<Frame> held = new ArrayDeque<>();

    ConnectionHandler(Engine engine, AtomicInteger openConnections, int maxConnections, long logonTimeoutNanos,
            Authentication authentication) {
        this.engine = engine;
        this.authentication = authentication;
        this.openConnections = openConnections;
        this.maxConnections = maxConnections;
        this.logonTimeoutNanos = logonTimeoutNanos;
    }

    /** Records why the broker closes {@code channel}, for the close log line. Any thread. */
    static void setCloseReason(Channel channel, String reason) {
        channel.attr(CLOSE_REASON).setIfAbsent(reason);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connection = new Connection(IDS.incrementAndGet(), ctx.channel());
        if (openConnections.incrementAndGet() > maxConnections) {
            openConnections.decrementAndGet();
            log.warn("{} refused: {} connections are open, the maximum", connection.describe(), maxConnections);
            ctx.channel().attr(CLOSE_REASON).set("too many connections");
            ctx.close();
            return;
        }
        counted = true;
        lastReadNanos = System.nanoTime();
        log.info("{} opened", connection.describe());
        logonTimer = ctx.executor().schedule(() -> {
            if (!connection.loggedOn) {
                closeWithReason(ctx, Reason.DISCONNECT_LOGON_TIMEOUT + " (no logon within "
                        + TimeUnit.NANOSECONDS.toMillis(logonTimeoutNanos) + " ms)");
            }
        }, logonTimeoutNanos, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Frame frame = (Frame) msg;
        lastReadNanos = System.nanoTime();
        if (connection == null || !counted) {
            frame.release();
            return;
        }
        Header h = frame.header();
        if (h.command() == Command.HEARTBEAT) {
            onHeartbeat(ctx, h);
            frame.release();
            return;
        }
        if (authenticating) {
            held.add(frame); // reading is paused, so normally only what one read decoded waits here
            if (held.size() > MAX_HELD) {
                closeWithReason(ctx, "over " + MAX_HELD + " commands sent before the logon was answered");
            }
            return;
        }
        toEngine(ctx, frame);
    }

    private void toEngine(ChannelHandlerContext ctx, Frame frame) {
        if (frame.header().command() == Command.LOGON && !connection.loggedOn) {
            // Checked on an authentication thread; commands behind the logon wait for its verdict.
            authenticating = true;
            ctx.channel().config().setAutoRead(false);
            authentication.submit(connection, frame.header(), () -> ctx.executor().execute(() -> authenticated(ctx,
                    frame)));
            return;
        }
        engine.submit(new Engine.Inbound(connection, frame));
        engine.throttle(ctx.channel());
    }

    private void authenticated(ChannelHandlerContext ctx, Frame logon) {
        authenticating = false;
        if (!counted || !ctx.channel().isActive()) {
            logon.release();
            releaseHeld();
            return;
        }
        engine.submit(new Engine.Inbound(connection, logon));
        Frame f;
        while (!authenticating && (f = held.poll()) != null) {
            toEngine(ctx, f);
        }
        if (!authenticating) {
            ctx.channel().config().setAutoRead(true);
            engine.throttle(ctx.channel());
        }
    }

    private void releaseHeld() {
        Frame f;
        while ((f = held.poll()) != null) {
            f.release();
        }
    }

    private void onHeartbeat(ChannelHandlerContext ctx, Header h) {
        String opts = h.options();
        if (opts == null || !opts.startsWith("start")) {
            return; // a beat: reading it already proved the client alive
        }
        long seconds;
        try {
            seconds = Long.parseLong(opts.substring(opts.indexOf(',') + 1).trim());
        } catch (RuntimeException e) {
            log.debug("{}: ignoring heartbeat with options '{}'", connection.describe(), opts);
            return;
        }
        if (heartbeatTimer != null) {
            heartbeatTimer.cancel(false);
            heartbeatTimer = null;
        }
        if (seconds <= 0) {
            heartbeatIntervalNanos = 0;
            return;
        }
        heartbeatIntervalNanos = TimeUnit.SECONDS.toNanos(seconds);
        long tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(50), heartbeatIntervalNanos / 4);
        heartbeatTimer = ctx.executor().scheduleAtFixedRate(() -> heartbeatTick(ctx), tickNanos, tickNanos,
                TimeUnit.NANOSECONDS);
    }

    private void heartbeatTick(ChannelHandlerContext ctx) {
        long now = System.nanoTime();
        if (now - lastReadNanos > 2 * heartbeatIntervalNanos) {
            closeWithReason(ctx, Reason.DISCONNECT_HEARTBEAT + " (nothing received for "
                    + TimeUnit.NANOSECONDS.toMillis(now - lastReadNanos) + " ms)");
            return;
        }
        if (now - lastWriteNanos >= heartbeatIntervalNanos) {
            ByteBuf beat = ctx.alloc().buffer(32);
            Frames.write(beat, new Header().command(Command.HEARTBEAT), (byte[]) null);
            ctx.writeAndFlush(beat);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        lastWriteNanos = System.nanoTime();
        ctx.write(msg, promise);
    }

    private void closeWithReason(ChannelHandlerContext ctx, String reason) {
        setCloseReason(ctx.channel(), reason);
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof ProtocolException) {
            closeWithReason(ctx, root.getMessage());
        } else if (root instanceof IOException) {
            closeWithReason(ctx, "I/O error: " + root.getMessage());
        } else {
            log.error("{}: unexpected error; closing this connection only", describe(), root);
            closeWithReason(ctx, "internal error: " + root);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseHeld();
        if (heartbeatTimer != null) {
            heartbeatTimer.cancel(false);
        }
        if (logonTimer != null) {
            logonTimer.cancel(false);
        }
        if (counted) {
            counted = false;
            openConnections.decrementAndGet();
            String reason = ctx.channel().attr(CLOSE_REASON).get();
            log.info("{} closed: {}", connection.describe(), reason == null ? Reason.DISCONNECT_CONNECTION_CLOSED
                    + " by the client" : reason);
            engine.submit(new Engine.Closed(connection));
        }
        ctx.fireChannelInactive();
    }

    private String describe() {
        return connection == null ? "connection" : connection.describe();
    }
}
