package dev.farad.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.farad.client.Message;
import dev.farad.client.exceptions.DisconnectedException;
import dev.farad.protocol.Header;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StreamQueueTest {

    private static Message message(String text) {
        return Messages.from(new Header().command(dev.farad.protocol.Command.PUBLISH).topic("t"), text.getBytes());
    }

    private static CompletableFuture<Void> offerAsync(StreamQueue q, Message m) {
        return CompletableFuture.runAsync(() -> {
            try {
                q.offer(m);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void shouldMakeOfferWaitWhileQueueHoldsMaxDepth() throws Exception {
        StreamQueue q = new StreamQueue(2);
        q.offer(message("1"));
        q.offer(message("2"));
        CompletableFuture<Void> third = offerAsync(q, message("3"));
        assertThat(third).isNotCompleted();
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> !third.isDone());
        assertThat(q.poll(0).dataAsString()).isEqualTo("1");
        assertThat(third).succeedsWithin(Duration.ofSeconds(5));
        assertThat(q.poll(0).dataAsString()).isEqualTo("2");
        assertThat(q.poll(0).dataAsString()).isEqualTo("3");
    }

    @Test
    void shouldReleaseWaitingOfferWhenEnded() {
        StreamQueue q = new StreamQueue(1);
        assertThat(offerAsync(q, message("1"))).succeedsWithin(Duration.ofSeconds(5));
        CompletableFuture<Void> blocked = offerAsync(q, message("2"));
        q.end(null, true);
        assertThat(blocked).succeedsWithin(Duration.ofSeconds(5));
    }

    @Test
    void shouldDrainThenThrowFailure() throws Exception {
        StreamQueue q = new StreamQueue(0);
        q.offer(message("a"));
        q.end(new DisconnectedException("lost", null, null), false);
        assertThat(q.poll(0).dataAsString()).isEqualTo("a");
        assertThatThrownBy(() -> q.poll(0)).isInstanceOf(DisconnectedException.class);
    }

    @Test
    void shouldReturnNullAtCleanEndAndOnTimeout() throws Exception {
        StreamQueue q = new StreamQueue(0);
        assertThat(q.poll(TimeUnit.MILLISECONDS.toNanos(20))).isNull();
        q.end(null, false);
        assertThat(q.poll(-1)).isNull();
        assertThat(q.exhausted()).isTrue();
    }
}
