package dev.farad.testsupport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on {@code 127.0.0.1}, port 0, in front of a target, that can break the link on
 * demand: {@link #cut()} closes every proxied connection (both sides see a close), {@link
 * #blackhole()} keeps the sockets open but silently drops every byte in both directions (a
 * half-open link, as after a cable pull), and {@link #restore()} forwards again.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start("127.0.0.1", broker.port())) {
 *     client.connect(proxy.uri());
 *     proxy.blackhole();   // heartbeats stop getting through
 * }
 * }</pre>
 *
 * <p>Thread-safe. Runs on its own two threads ({@code fault-proxy-*}).
 */
public final class FaultProxy implements AutoCloseable {
    private final EventLoopGroup boss = new NioEventLoopGroup(1, (ThreadFactory) r -> daemon(r, "fault-proxy-boss"));
    private final EventLoopGroup worker = new NioEventLoopGroup(1, (ThreadFactory) r -> daemon(r, "fault-proxy-io"));
    private final String targetHost;
    private final int targetPort;
    private final Channel server;
    private final List<Channel> channels = new CopyOnWriteArrayList<>();
    private volatile boolean blackholed;
    private volatile boolean refusing;

    private FaultProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        ServerBootstrap b = new ServerBootstrap().group(boss, worker).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Frontend());
                    }
                });
        this.server = b.bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts a proxy to {@code host:port}. */
    public static FaultProxy start(String host, int port) {
        return new FaultProxy(host, port);
    }

    /** The port the proxy listens on. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The connection URI through the proxy, {@code tcp://127.0.0.1:<port>/amps/json}. */
    public String uri() {
        return "tcp://127.0.0.1:" + port() + "/amps/json";
    }

    /** Closes every proxied connection; new connections are still accepted unless {@link #refuse()}d. */
    public void cut() {
        for (Channel c : channels) {
            c.close().syncUninterruptibly();
        }
    }

    /** Keeps connections open but drops every byte in both directions from now on. */
    public void blackhole() {
        blackholed = true;
    }

    /** Closes new connections as soon as they are accepted (until {@link #restore()}). */
    public void refuse() {
        refusing = true;
    }

    /** Forwards bytes again and accepts new connections. */
    public void restore() {
        blackholed = false;
        refusing = false;
    }

    /** Closes every connection and stops listening. Idempotent. */
    @Override
    public void close() {
        server.close().syncUninterruptibly();
        cut();
        boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        worker.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    /** One side of a proxied link: relays what it reads to the other side and closes both together. */
    private abstract class Side extends ChannelInboundHandlerAdapter {
        /** The other side's channel, or {@code null} while it is not open yet. */
        abstract Channel peer();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            relay(msg, peer(), ctx.channel());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            channels.remove(ctx.channel());
            Channel peer = peer();
            if (peer != null) {
                peer.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Client side: opens the link to the target, then relays. */
    private final class Frontend extends Side {
        private volatile Channel backend;

        @Override
        Channel peer() {
            return backend;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel front = ctx.channel();
            if (refusing) {
                front.close();
                return;
            }
            channels.add(front);
            ChannelFuture f = new Bootstrap().group(front.eventLoop()).channel(NioSocketChannel.class)
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(new Backend(front))
                    .connect(targetHost, targetPort);
            backend = f.channel();
            f.addListener(done -> {
                if (done.isSuccess()) {
                    channels.add(backend);
                    front.read();
                    backend.read();
                } else {
                    front.close();
                }
            });
        }
    }

    /** Target side: relays back to the client. */
    private final class Backend extends Side {
        private final Channel front;

        Backend(Channel front) {
            this.front = front;
        }

        @Override
        Channel peer() {
            return front;
        }
    }

    private void relay(Object msg, Channel to, Channel from) {
        if (blackholed || to == null || !to.isActive()) {
            ReferenceCountUtil.release(msg);
            from.read();
            return;
        }
        to.writeAndFlush(msg).addListener(f -> {
            if (f.isSuccess()) {
                from.read();
            } else {
                from.close();
            }
        });
    }
}
