package dev.farad.server.internal;

import dev.farad.protocol.FrameDecoder;
import dev.farad.server.BrokerConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP listener: Netty with epoll where the platform has it, NIO elsewhere. One acceptor
 * thread ({@code farad-accept-N}) and {@code ioThreads} I/O threads ({@code farad-io-N}).
 *
 * <p>Start and close from one thread.
 */
public final class Transport implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("dev.farad.server.Transport");
    private final BrokerConfig config;
    private final EventLoopGroup acceptGroup;
    private final EventLoopGroup ioGroup;
    private final Engine engine;
    private final Authentication authentication;
    private final AtomicInteger openConnections = new AtomicInteger();
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private Channel serverChannel;

    public Transport(BrokerConfig config) {
        this.config = config;
        int threads = config.ioThreadCount();
        if (Epoll.isAvailable()) {
            acceptGroup = new EpollEventLoopGroup(1, new DefaultThreadFactory("farad-accept", true));
            ioGroup = new EpollEventLoopGroup(threads, new DefaultThreadFactory("farad-io", true));
        } else {
            acceptGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("farad-accept", true));
            ioGroup = new NioEventLoopGroup(threads, new DefaultThreadFactory("farad-io", true));
        }
        ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        engine = new Engine(config, alloc, config.engineOnIoThread() ? ioGroup.next() : null);
        authentication = new Authentication(config.authenticator());
    }

    /** Binds and starts; returns the bound address (the real port when 0 was asked). */
    public InetSocketAddress start() throws InterruptedException {
        engine.start();
        long logonTimeoutNanos = config.logonTimeout().toNanos();
        SslContext tls = config.tls() == null ? null : ServerTls.context(config.tls());
        ServerBootstrap b = new ServerBootstrap()
                .group(acceptGroup, ioGroup)
                .channel(Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("frames", FrameDecoder.sharingHeaders(config.maxFrameBytes(), config.maxHeaderBytes()));
                        ch.pipeline().addLast("connection", new ConnectionHandler(engine, openConnections,
                                config.maxConnections(), logonTimeoutNanos, authentication));
                    }
                });
        serverChannel = b.bind(config.bindAddress(), config.port()).sync().channel();
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Connections open now. Thread-safe. */
    public int openConnections() {
        return openConnections.get();
    }

    /**
     * Stops cleanly: no new connections, no more reads, then the engine finishes what it has and
     * its last writes reach the sockets before the connections close. So a publisher that saw its
     * publish acknowledged knows the subscribers' copies were sent too.
     */
    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
        }
        // On each channel's own thread, so no read is under way once they have all run.
        List<Future<?>> stopped = new ArrayList<>();
        for (Channel ch : channels) {
            stopped.add(ch.eventLoop().submit(() -> ch.config().setAutoRead(false)));
        }
        for (Future<?> f : stopped) {
            f.awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        try {
            engine.drained().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // A stuck engine must not stop the shutdown, but what it still held is not sent: say so.
            log.warn("the engine did not finish its work within 5 s of shutdown; closing connections anyway"
                    + " (deliveries and acks it still held are not sent)", e);
        }
        for (Channel ch : channels) {
            ConnectionHandler.setCloseReason(ch, dev.farad.protocol.Reason.DISCONNECT_SHUTDOWN);
            // Queued behind the engine's last writes on the channel's thread: close once they are out.
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        for (Channel ch : channels) {
            ch.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        acceptGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        engine.close();
        authentication.close();
    }
}
