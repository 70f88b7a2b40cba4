package dev.farad.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * MQTT 3.1.1 (Mosquitto) through Eclipse Paho's {@link MqttAsyncClient}: QoS 0, clean session,
 * in-memory persistence, {@code maxInflight} 65,535, no automatic reconnect. Paho keeps a reference
 * to the payload until its sender thread writes it, so each publish copies the payload; when Paho's
 * queue is full the publisher retries after a short pause. Paho's sockets get {@code TCP_NODELAY}
 * (Paho leaves Nagle on; every other client here turns it off, and the broker side is set in
 * compare.sh), so small messages are not held back waiting for an ACK.
 */
public final class MqttDriver implements Driver {
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final long TIMEOUT_MS = 10_000;

    private final String uri;
    private final List<MqttAsyncClient> clients = new ArrayList<>();

    public MqttDriver(String uri) {
        this.uri = uri;
    }

    @Override
    public String system() {
        return "mqtt";
    }

    private synchronized MqttAsyncClient connect(MqttCallback callback) {
        try {
            MqttAsyncClient c = new MqttAsyncClient(uri, "farad-bench-" + ProcessHandle.current().pid() + "-"
                    + IDS.incrementAndGet(), new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            o.setMaxInflight(65_535);
            o.setAutomaticReconnect(false);
            o.setKeepAliveInterval(60);
            o.setSocketFactory(new NoDelaySocketFactory());
            if (callback != null) {
                c.setCallback(callback);
            }
            c.connect(o).waitForCompletion(TIMEOUT_MS);
            clients.add(c);
            return c;
        } catch (MqttException e) {
            throw new IllegalStateException("cannot connect to " + uri + ": " + e, e);
        }
    }

    /** Plain sockets with Nagle's algorithm off. */
    private static final class NoDelaySocketFactory extends javax.net.SocketFactory {
        private final javax.net.SocketFactory plain = javax.net.SocketFactory.getDefault();

        private static java.net.Socket noDelay(java.net.Socket s) throws java.io.IOException {
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public java.net.Socket createSocket() throws java.io.IOException {
            return noDelay(plain.createSocket());
        }

        @Override
        public java.net.Socket createSocket(String host, int port) throws java.io.IOException {
            return noDelay(plain.createSocket(host, port));
        }

        @Override
        public java.net.Socket createSocket(String host, int port, java.net.InetAddress local, int localPort)
                throws java.io.IOException {
            return noDelay(plain.createSocket(host, port, local, localPort));
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress host, int port) throws java.io.IOException {
            return noDelay(plain.createSocket(host, port));
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress local,
                int localPort) throws java.io.IOException {
            return noDelay(plain.createSocket(address, port, local, localPort));
        }
    }

    @Override
    public Publisher publisher(String topic) {
        MqttAsyncClient c = connect(null);
        return new Publisher() {
            @Override
            public void publish(byte[] payload) {
                byte[] copy = payload.clone();
                while (true) {
                    try {
                        c.publish(topic, copy, 0, false);
                        return;
                    } catch (MqttException e) {
                        if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
                            throw new IllegalStateException("mqtt publish failed: " + e, e);
                        }
                        LockSupport.parkNanos(20_000);
                    }
                }
            }

            @Override
            public void close() {
                closeQuietly(c);
            }
        };
    }

    @Override
    public Subscriber subscribe(String topic, String filter, Sink sink) {
        if (filter != null) {
            throw new UnsupportedOperationException("mqtt has no content filters");
        }
        MqttAsyncClient c = connect(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(String t, MqttMessage message) {
                sink.onMessage(message.getPayload());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
        try {
            c.subscribe(topic, 0).waitForCompletion(TIMEOUT_MS);
        } catch (MqttException e) {
            throw new IllegalStateException("mqtt subscribe failed: " + e, e);
        }
        return () -> closeQuietly(c);
    }

    private static void closeQuietly(MqttAsyncClient c) {
        try {
            if (c.isConnected()) {
                c.disconnect().waitForCompletion(2_000);
            }
            c.close();
        } catch (MqttException e) {
            // closing at the end of a run
        }
    }

    @Override
    public synchronized void close() {
        for (MqttAsyncClient c : clients) {
            closeQuietly(c);
        }
        clients.clear();
    }
}
