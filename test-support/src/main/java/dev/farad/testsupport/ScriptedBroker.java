package dev.farad.testsupport;

import dev.farad.protocol.AckType;
import dev.farad.protocol.Command;
import dev.farad.protocol.Frame;
import dev.farad.protocol.FrameDecoder;
import dev.farad.protocol.Frames;
import dev.farad.protocol.Header;
import dev.farad.protocol.Reason;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A small fake broker for client tests: speaks the wire protocol on {@code 127.0.0.1}, port 0,
 * records every frame it receives, and injects faults the real broker cannot produce on demand.
 *
 * <p>It answers like the real broker, only simpler: logon (success with {@code s} = {@link
 * #logonSequence(long)}; {@code auth failure} when a {@linkplain #requirePassword password} does not
 * match; knock-off and {@code name in use} by client name and user), {@code logon required} before
 * logon, subscribe/unsubscribe with exact or regex topics (no content filtering) and {@code
 * subscription already exists}, publish delivered to matching subscriptions ({@code sids} when
 * several of one connection match), flush, heartbeat start (a {@code heartbeat} every {@code N}
 * seconds), and {@code unknown command}. Acks are sent only when requested. {@link #failNext}
 * scripts one failure ack.
 *
 * <pre>{@code
 * try (ScriptedBroker broker = ScriptedBroker.start()) {
 *     broker.nextConnectionFaults(Fault.STALL);
 *     client.connect(broker.uri());
 *     Received r = broker.takeCommand("logon", Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>Thread-safe. Runs on its own two threads ({@code scripted-broker-*}).
 */
public final class ScriptedBroker implements AutoCloseable {

    /** Faults injected into one connection. */
    public enum Fault {
        /** Acknowledge the logon, then close the connection. */
        DISCONNECT_AFTER_LOGON,
        /** Never send heartbeats and ignore the client's. */
        DROP_HEARTBEATS,
        /** Answer every subscribe with a failure ack ({@code bad filter}). */
        REJECT_SUBSCRIBE,
        /** After the logon ack, write half of a frame and close the connection. */
        CLOSE_MID_FRAME,
        /** After the logon ack, record what arrives but never answer anything (no acks, no heartbeats). */
        STALL
    }

    /**
     * One frame the broker received.
     *
     * @param connection the number of the connection it came on (1 for the first accepted)
     * @param header the decoded header
     * @param payload the payload bytes
     */
    public record Received(int connection, Header header, byte[] payload) {
        /** The command name as sent (for example {@code p}, {@code subscribe}). */
        public String command() {
            return header.commandName();
        }
    }

    private final EventLoopGroup boss = new NioEventLoopGroup(1, (ThreadFactory) r -> daemon(r, "scripted-broker-boss"));
    private final EventLoopGroup worker = new NioEventLoopGroup(1, (ThreadFactory) r -> daemon(r, "scripted-broker-io"));
    private final Channel server;
    private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final List<Conn> connections = new CopyOnWriteArrayList<>();
    private final Queue<String[]> scriptedFailures = new ArrayDeque<>();
    private volatile Set<Fault> nextFaults = EnumSet.noneOf(Fault.class);
    private volatile String requiredPassword;
    private volatile long logonSequence;
    private int connectionCount;

    private ScriptedBroker() {
        ServerBootstrap b = new ServerBootstrap().group(boss, worker).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Conn c = new Conn(ch, ++connectionCount, nextFaults);
                        nextFaults = EnumSet.noneOf(Fault.class);
                        connections.add(c);
                        ch.pipeline().addLast(new FrameDecoder(), c);
                    }
                });
        this.server = b.bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts a broker on an ephemeral loopback port. */
    public static ScriptedBroker start() {
        return new ScriptedBroker();
    }

    /** The port it listens on. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The connection URI, {@code tcp://127.0.0.1:<port>/amps/json}. */
    public String uri() {
        return "tcp://127.0.0.1:" + port() + "/amps/json";
    }

    /** Injects faults into the next connection accepted (only that one). */
    public void nextConnectionFaults(Fault... faults) {
        Set<Fault> s = EnumSet.noneOf(Fault.class);
        s.addAll(List.of(faults));
        this.nextFaults = s;
    }

    /** Adds faults to every connection that is open now. */
    public void injectFaults(Fault... faults) {
        for (Conn c : connections) {
            c.faults.addAll(List.of(faults));
        }
    }

    /** Logons must carry this password, else {@code auth failure}; {@code null} accepts any. */
    public void requirePassword(String password) {
        this.requiredPassword = password;
    }

    /** The sequence ({@code s}) logon acks carry. */
    public void logonSequence(long sequence) {
        this.logonSequence = sequence;
    }

    /** The next {@code command} (wire name, e.g. {@code subscribe} or {@code p}) fails with {@code reason}. */
    public void failNext(String command, String reason) {
        synchronized (scriptedFailures) {
            scriptedFailures.add(new String[] {command, reason});
        }
    }

    /**
     * Takes the next received frame of any command.
     *
     * @return the frame, or {@code null} if none arrived within {@code timeout}
     */
    public Received takeCommand(Duration timeout) {
        try {
            return received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Takes received frames until one has {@code command} as its command name, dropping the others.
     *
     * @return the frame, or {@code null} if none arrived within {@code timeout}
     */
    public Received takeCommand(String command, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            Received r = takeCommand(Duration.ofNanos(left));
            if (r == null || command.equals(r.command())) {
                return r;
            }
        }
    }

    /** Everything received and not yet taken, without waiting. */
    public List<Received> drainReceived() {
        List<Received> out = new ArrayList<>();
        received.drainTo(out);
        return out;
    }

    /** How many connections are open. */
    public int openConnections() {
        int n = 0;
        for (Conn c : connections) {
            if (c.channel.isActive()) {
                n++;
            }
        }
        return n;
    }

    /** Sends a frame on every open connection. */
    public void sendToAll(Header header, byte[] payload) {
        for (Conn c : connections) {
            if (c.channel.isActive()) {
                c.write(header, payload);
            }
        }
    }

    /** Sends raw bytes (need not be a valid frame) on every open connection. */
    public void sendRawToAll(byte[] bytes) {
        for (Conn c : connections) {
            if (c.channel.isActive()) {
                c.channel.writeAndFlush(c.channel.alloc().buffer(bytes.length).writeBytes(bytes));
            }
        }
    }

    /** Closes every open connection (the listener stays). */
    public void closeConnections() {
        for (Conn c : connections) {
            c.channel.close().syncUninterruptibly();
        }
    }

    /** Closes every connection and stops listening. Idempotent. */
    @Override
    public void close() {
        server.close().syncUninterruptibly();
        closeConnections();
        boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        worker.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    private String[] takeScriptedFailure(String command) {
        synchronized (scriptedFailures) {
            String[] f = scriptedFailures.peek();
            if (f != null && f[0].equals(command)) {
                return scriptedFailures.poll();
            }
            return null;
        }
    }

    /** One accepted connection; all its methods run on the worker thread. */
    private final class Conn extends ChannelInboundHandlerAdapter {
        final Channel channel;
        final int number;
        final Set<Fault> faults = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final Map<String, Pattern> subscriptions = new LinkedHashMap<>();
        String clientName;
        String userId;
        boolean loggedOn;
        ScheduledFuture<?> heartbeat;

        Conn(Channel channel, int number, Set<Fault> faults) {
            this.channel = channel;
            this.number = number;
            this.faults.addAll(faults);
        }

        void write(Header h, byte[] payload) {
            channel.writeAndFlush(Frames.encode(channel.alloc(), h, payload));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Frame f = (Frame) msg;
            try {
                Received r = new Received(number, f.header(), f.payloadBytes());
                received.add(r);
                handle(r);
            } finally {
                f.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
            connections.remove(this);
        }

        private void handle(Received r) {
            Header h = r.header();
            if (loggedOn && faults.contains(Fault.STALL)) {
                return;
            }
            Command c = h.command();
            if (c == Command.LOGON) {
                logon(h);
                return;
            }
            if (!loggedOn) {
                ack(h, AckType.PROCESSED, Reason.LOGON_REQUIRED, null);
                return;
            }
            String[] scripted = takeScriptedFailure(h.commandName());
            if (scripted != null) {
                ackFirst(h, scripted[1]);
                return;
            }
            switch (c) {
                case SUBSCRIBE:
                case DELTA_SUBSCRIBE:
                    subscribe(h);
                    break;
                case UNSUBSCRIBE:
                    unsubscribe(h);
                    break;
                case PUBLISH:
                case DELTA_PUBLISH:
                    publish(h, r.payload());
                    break;
                case FLUSH:
                case SOW_DELETE:
                    ack(h, AckType.PROCESSED, null, null);
                    break;
                case HEARTBEAT:
                    heartbeat(h);
                    break;
                default:
                    ackFirst(h, Reason.UNKNOWN_COMMAND);
            }
        }

        /** Sends the first requested ack type as a failure with {@code reason}. */
        private void ackFirst(Header h, String reason) {
            List<AckType> types = AckType.list(h.ackTypes());
            if (!types.isEmpty()) {
                ack(h, types.get(0), reason, null);
            }
        }

        /** Sends {@code type} if requested; {@code reason != null} makes it a failure. */
        private void ack(Header h, AckType type, String reason, Header extra) {
            if (!type.in(h.ackTypes())) {
                return;
            }
            Header a = extra != null ? extra : new Header();
            a.command(Command.ACK).ackType(type).commandId(h.commandId())
                    .status(reason == null ? "success" : "failure").reason(reason);
            if (h.command().isSubscribe()) {
                a.subId(h.subId() != null ? h.subId() : h.commandId());
            }
            if (h.command().isWrite() && h.sequence() != Header.ABSENT) {
                a.sequence(h.sequence());
            }
            write(a, null);
        }

        private void logon(Header h) {
            String password = requiredPassword;
            if (password != null && !password.equals(h.password())) {
                ack(h, AckType.PROCESSED, Reason.AUTH_FAILURE, null);
                channel.close();
                return;
            }
            for (Conn other : connections) {
                if (other != this && other.loggedOn && Objects.equals(other.clientName, h.clientName())) {
                    if (Objects.equals(other.userId, h.userId())) {
                        other.channel.close();
                    } else {
                        ack(h, AckType.PROCESSED, Reason.NAME_IN_USE, null);
                        channel.close();
                        return;
                    }
                }
            }
            clientName = h.clientName();
            userId = h.userId();
            loggedOn = true;
            Header a = new Header().clientName(clientName).sequence(logonSequence)
                    .reason(Reason.AUTHENTICATION_DISABLED).version("scripted");
            a.command(Command.ACK).ackType(AckType.PROCESSED).commandId(h.commandId()).status("success");
            write(a, null);
            if (faults.contains(Fault.DISCONNECT_AFTER_LOGON)) {
                channel.close();
            } else if (faults.contains(Fault.CLOSE_MID_FRAME)) {
                ByteBuf half = Frames.encode(channel.alloc(), new Header().command(Command.PUBLISH)
                        .topic("half").subId("x"), new byte[64]);
                half.writerIndex(half.writerIndex() / 2);
                channel.writeAndFlush(half).addListener(f -> channel.close());
            }
        }

        private void subscribe(Header h) {
            if (faults.contains(Fault.REJECT_SUBSCRIBE)) {
                ack(h, AckType.PROCESSED, Reason.BAD_FILTER, null);
                return;
            }
            String subId = h.subId() != null ? h.subId() : h.commandId();
            boolean replace = h.options() != null && h.options().contains("replace");
            if (subscriptions.containsKey(subId) && !replace) {
                ack(h, AckType.PROCESSED, Reason.SUBSCRIPTION_ALREADY_EXISTS, null);
                return;
            }
            Pattern p;
            try {
                p = isRegex(h.topic()) ? Pattern.compile(h.topic()) : Pattern.compile(Pattern.quote(h.topic()));
            } catch (PatternSyntaxException e) {
                ack(h, AckType.PROCESSED, Reason.BAD_REGEX_TOPIC, null);
                return;
            }
            subscriptions.put(subId, p);
            ack(h, AckType.PROCESSED, null, null);
        }

        private void unsubscribe(Header h) {
            String ids = h.subId() == null ? "" : h.subId();
            if (ids.equals("all")) {
                subscriptions.clear();
            } else {
                for (String id : ids.split(",")) {
                    subscriptions.remove(id.trim());
                }
            }
            ack(h, AckType.PROCESSED, null, null);
        }

        private void publish(Header h, byte[] payload) {
            if (h.topic() == null) {
                ackFirst(h, Reason.NO_TOPIC);
                return;
            }
            if (isRegex(h.topic())) {
                ackFirst(h, Reason.INVALID_TOPIC);
                return;
            }
            ack(h, AckType.PROCESSED, null, null);
            ack(h, AckType.PERSISTED, null, null);
            for (Conn other : connections) {
                other.deliver(h, payload);
            }
        }

        private void deliver(Header publish, byte[] payload) {
            if (!loggedOn || faults.contains(Fault.STALL)) {
                return;
            }
            List<String> matched = new ArrayList<>();
            for (Map.Entry<String, Pattern> e : subscriptions.entrySet()) {
                if (e.getValue().matcher(publish.topic()).find()) {
                    matched.add(e.getKey());
                }
            }
            if (matched.isEmpty()) {
                return;
            }
            Header d = new Header().command(Command.PUBLISH).topic(publish.topic())
                    .correlationId(publish.correlationId());
            if (matched.size() == 1) {
                d.subId(matched.get(0));
            } else {
                d.subIds(String.join(",", matched));
            }
            channel.eventLoop().execute(() -> write(d, payload));
        }

        private void heartbeat(Header h) {
            if (faults.contains(Fault.DROP_HEARTBEATS)) {
                return;
            }
            String o = h.options() == null ? "" : h.options();
            if (o.startsWith("start,")) {
                long seconds = Long.parseLong(o.substring("start,".length()).trim());
                if (heartbeat != null) {
                    heartbeat.cancel(false);
                }
                heartbeat = channel.eventLoop().scheduleAtFixedRate(() -> {
                    if (!faults.contains(Fault.DROP_HEARTBEATS) && !faults.contains(Fault.STALL)) {
                        write(new Header().command(Command.HEARTBEAT), null);
                    }
                }, seconds, seconds, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean isRegex(String topic) {
        for (int i = 0; i < topic.length(); i++) {
            if ("^$.*+?()[]{}|\\".indexOf(topic.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }
}
