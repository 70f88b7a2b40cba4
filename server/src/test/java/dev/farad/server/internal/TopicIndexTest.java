package dev.farad.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TopicIndexTest {
    private final Connection connection = new Connection(1, new EmbeddedChannel());

    private Subscription exact(String topic, String id) {
        return new Subscription(connection, id, topic, null, null, null, null);
    }

    private Subscription regex(String topic, String id) {
        return new Subscription(connection, id, topic, Pattern.compile(topic), null, null, null);
    }

    @Test
    void shouldRouteOnlyToSubscriptionsOfThatTopicWhateverOthersExist() {
        TopicIndex index = new TopicIndex();
        for (int i = 0; i < 10_000; i++) {
            index.add(exact("other." + i, "o" + i));
        }
        index.add(regex("^trades\\.", "r1"));
        Subscription mine = exact("orders", "mine");
        index.add(mine);
        // The node a publish walks holds exactly the matching subscriptions: routing cost does not
        // depend on the 10,000 subscriptions of other topics.
        assertThat(index.route("orders").subscriptions).containsExactly(mine);
        assertThat(index.route("trades.eu").subscriptions).extracting(s -> s.subId).containsExactly("r1");
        assertThat(index.route("nobody-listens")).satisfiesAnyOf(
                n -> assertThat(n).isNull(), n -> assertThat(n.subscriptions).isEmpty());
    }

    @Test
    void shouldAddLateRegexToExistingNodesAndRemoveCleanly() {
        TopicIndex index = new TopicIndex();
        Subscription a = exact("orders.eu", "a");
        index.add(a);
        Subscription r = regex("orders\\..*", "r");
        index.add(r);
        assertThat(index.route("orders.eu").subscriptions).containsExactly(a, r);
        index.remove(r);
        assertThat(index.route("orders.eu").subscriptions).containsExactly(a);
        index.remove(a);
        assertThat(index.route("orders.eu")).isNull();
        assertThat(index.nodeCount()).isZero();
    }

    @Test
    void shouldBoundCacheOfTopicsSeenOnlyByRegex() {
        TopicIndex index = new TopicIndex();
        index.add(regex("x", "r"));
        for (int i = 0; i < TopicIndex.MAX_CACHED_TOPICS + 10; i++) {
            index.route("x" + i);
        }
        assertThat(index.nodeCount()).isLessThanOrEqualTo(TopicIndex.MAX_CACHED_TOPICS);
    }
}
