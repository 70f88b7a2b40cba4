package dev.farad.bench.load;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Redis pub/sub through Jedis, the client Redis lists first for Java. A plain {@code PUBLISH}
 * waits for its reply (one round trip per message), so the publisher uses a {@link Pipeline}, as
 * Redis recommends for throughput: commands go out when Jedis's 8 KiB output buffer fills, when
 * the harness waits ({@link Publisher#push()}), and at least every {@value #SYNC_EVERY}
 * publishes (to bound the replies held). Each subscriber is a {@code SUBSCRIBE} on its own
 * connection and thread.
 */
public final class RedisDriver implements Driver {
    static final int SYNC_EVERY = 256;

    private final String host;
    private final int port;
    private final List<AutoCloseable> open = new ArrayList<>();

    public RedisDriver(String uri) {
        URI u = URI.create(uri);
        this.host = u.getHost();
        this.port = u.getPort() > 0 ? u.getPort() : 6379;
    }

    @Override
    public String system() {
        return "redis";
    }

    @Override
    public Publisher publisher(String topic) {
        Jedis jedis = new Jedis(host, port);
        register(jedis);
        Pipeline p = jedis.pipelined();
        byte[] channel = topic.getBytes(StandardCharsets.UTF_8);
        return new Publisher() {
            int unsynced;

            @Override
            public void publish(byte[] payload) {
                p.publish(channel, payload); // written into Jedis's buffer now: the array may be reused
                if (++unsynced >= SYNC_EVERY) {
                    push();
                }
            }

            @Override
            public void push() {
                p.sync();
                unsynced = 0;
            }

            @Override
            public void close() {
                jedis.close();
            }
        };
    }

    @Override
    public Subscriber subscribe(String topic, String filter, Sink sink) {
        if (filter != null) {
            throw new UnsupportedOperationException("redis has no content filters");
        }
        Jedis jedis = new Jedis(host, port, 0); // no read timeout: a quiet subscription is fine
        register(jedis);
        CountDownLatch subscribed = new CountDownLatch(1);
        BinaryJedisPubSub pubSub = new BinaryJedisPubSub() {
            @Override
            public void onMessage(byte[] channel, byte[] message) {
                sink.onMessage(message);
            }

            @Override
            public void onSubscribe(byte[] channel, int count) {
                subscribed.countDown();
            }
        };
        Thread t = new Thread(() -> {
            try {
                jedis.subscribe(pubSub, topic.getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                // closed under it at the end of the run
            }
        }, "redis-sub");
        t.setDaemon(true);
        t.start();
        try {
            if (!subscribed.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis subscribe not confirmed in 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return () -> {
            try {
                pubSub.unsubscribe();
            } catch (RuntimeException e) {
                // already gone
            }
            jedis.close();
        };
    }

    private synchronized void register(AutoCloseable c) {
        open.add(c);
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                // closing at the end of a run
            }
        }
        open.clear();
    }
}
