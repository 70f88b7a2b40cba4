package dev.farad.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.farad.client.exceptions.UsageException;
import dev.farad.protocol.AckType;
import dev.farad.protocol.Header;
import dev.farad.testsupport.ScriptedBroker;
import dev.farad.testsupport.ScriptedBroker.Fault;
import dev.farad.testsupport.ScriptedBroker.Received;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which thread runs what, and what may block where. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ThreadingTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final ScriptedBroker broker = ScriptedBroker.start();
    private final Client client = new Client("threads");

    @AfterEach
    void close() {
        client.close();
        broker.close();
    }

    private void ackProcessed(Received command) {
        broker.sendToAll(new Header().command(dev.farad.protocol.Command.ACK).ackType(AckType.PROCESSED)
                .commandId(command.header().commandId()).subId(command.header().subId())
                .status("success"), null);
    }

    @Test
    void shouldCompleteFuturesOnDispatchThreadNeverOnReceiveThread() throws Exception {
        broker.nextConnectionFaults(Fault.STALL);
        client.connect(broker.uri());
        client.logon(WAIT);
        CompletableFuture<CommandId> sub = client.subscribeAsync(m -> { }, "fut", null);
        CompletableFuture<String> thread = sub.thenApply(id -> Thread.currentThread().getName());
        ackProcessed(broker.takeCommand("subscribe", WAIT));
        assertThat(thread.get(5, TimeUnit.SECONDS)).startsWith("farad-client-dispatch-");

        CompletableFuture<String> flushThread = client.flushAsync(WAIT)
                .thenApply(v -> Thread.currentThread().getName());
        ackProcessed(broker.takeCommand("flush", WAIT));
        assertThat(flushThread.get(5, TimeUnit.SECONDS)).startsWith("farad-client-dispatch-");
    }

    @Test
    void shouldRunHandlersAndListenersOnDispatchThread() {
        List<String> threads = new CopyOnWriteArrayList<>();
        client.addConnectionStateListener(e -> threads.add(Thread.currentThread().getName()));
        client.connect(broker.uri());
        client.logon(WAIT);
        client.subscribe(m -> threads.add(Thread.currentThread().getName()), "t", null, WAIT);
        client.publish("t", "x");
        await().atMost(WAIT).until(() -> threads.size() == 3);
        assertThat(threads).allSatisfy(t -> assertThat(t).startsWith("farad-client-dispatch-"));
    }

    @Test
    void shouldFailBlockingCallFromHandlerWithUsageExceptionInsteadOfDeadlocking() {
        client.connect(broker.uri());
        client.logon(WAIT);
        AtomicReference<Throwable> fromHandler = new AtomicReference<>();
        client.subscribe(m -> {
            try {
                client.flush(WAIT);
            } catch (Throwable t) {
                fromHandler.set(t);
            }
        }, "t", null, WAIT);
        client.publish("t", "x");
        await().atMost(WAIT).until(() -> fromHandler.get() != null);
        assertThat(fromHandler.get()).isInstanceOf(UsageException.class).hasMessageContaining("flush");
    }

    @Test
    void shouldFailBlockingCallFromConnectionStateListenerWithUsageException() {
        AtomicReference<Throwable> fromListener = new AtomicReference<>();
        client.addConnectionStateListener(e -> {
            if (e.state() == ConnectionState.LOGGED_ON) {
                try {
                    client.subscribe(m -> { }, "x", null, WAIT);
                } catch (Throwable t) {
                    fromListener.set(t);
                }
            }
        });
        client.connect(broker.uri());
        client.logon(WAIT);
        await().atMost(WAIT).until(() -> fromListener.get() != null);
        assertThat(fromListener.get()).isInstanceOf(UsageException.class);
    }

    @Test
    void shouldAllowAsyncCallsFromHandler() throws Exception {
        client.connect(broker.uri());
        client.logon(WAIT);
        CompletableFuture<CommandId> inner = new CompletableFuture<>();
        client.subscribe(m -> client.subscribeAsync(x -> { }, "inner", null).whenComplete((id, e) -> {
            if (e != null) {
                inner.completeExceptionally(e);
            } else {
                inner.complete(id);
            }
        }), "outer", null, WAIT);
        client.publish("outer", "go");
        assertThat(inner.get(5, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void shouldPreserveOrderPerSubscription() {
        client.connect(broker.uri());
        client.logon(WAIT);
        List<String> got = new CopyOnWriteArrayList<>();
        client.subscribe(m -> got.add(m.dataAsString()), "ordered", null, WAIT);
        for (int i = 0; i < 500; i++) {
            client.publish("ordered", Integer.toString(i));
        }
        await().atMost(WAIT).until(() -> got.size() == 500);
        for (int i = 0; i < 500; i++) {
            assertThat(got.get(i)).isEqualTo(Integer.toString(i));
        }
    }
}
