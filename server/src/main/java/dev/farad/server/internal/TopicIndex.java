package dev.farad.server.internal;

import dev.farad.protocol.HeaderCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Which subscriptions a topic's messages go to.
 *
 * <p>Exact subscriptions are found by one hash lookup. A regular-expression subscription is tested
 * against a topic once, when the topic is first published to (or when the subscription arrives),
 * and the result is cached in the topic's node; so routing cost depends only on the subscriptions
 * that match the topic, never on those of other topics. Nodes that hold no exact subscription are
 * a cache and are dropped when there are too many of them.
 *
 * <p>Not thread-safe: confined to the engine thread.
 */
final class TopicIndex {
    static final int MAX_CACHED_TOPICS = 100_000;

    /** Subscribers of one topic, exact and regex together, in subscription order. */
    static final class Node {
        final String topic;
        /** The topic as a quoted JSON string, ready to copy into delivery headers. */
        final byte[] quotedTopic;
        final List<Subscription> subscriptions = new ArrayList<>(2);
        int exactCount;

        Node(String topic) {
            this.topic = topic;
            ByteBuf b = Unpooled.buffer();
            HeaderCodec.writeJsonString(b, topic);
            this.quotedTopic = new byte[b.readableBytes()];
            b.readBytes(quotedTopic);
            b.release();
        }
    }

    private final Map<String, Node> nodes = new HashMap<>();
    private final List<Subscription> regexSubscriptions = new ArrayList<>();
    private int cacheOnlyNodes;

    /** The node to route a publish on {@code topic}, or {@code null} when nobody can match it. */
    Node route(String topic) {
        Node node = nodes.get(topic);
        if (node != null || regexSubscriptions.isEmpty()) {
            return node;
        }
        if (cacheOnlyNodes >= MAX_CACHED_TOPICS) {
            dropCacheOnlyNodes();
        }
        node = new Node(topic);
        for (Subscription s : regexSubscriptions) {
            if (s.matchesTopic(topic)) {
                node.subscriptions.add(s);
            }
        }
        nodes.put(topic, node);
        cacheOnlyNodes++;
        return node;
    }

    void add(Subscription s) {
        if (s.pattern != null) {
            regexSubscriptions.add(s);
            for (Node node : nodes.values()) {
                if (s.matchesTopic(node.topic)) {
                    node.subscriptions.add(s);
                }
            }
            return;
        }
        Node node = nodes.get(s.topic);
        if (node == null) {
            node = new Node(s.topic);
            for (Subscription r : regexSubscriptions) {
                if (r.matchesTopic(s.topic)) {
                    node.subscriptions.add(r);
                }
            }
            nodes.put(s.topic, node);
        } else if (node.exactCount == 0) {
            cacheOnlyNodes--;
        }
        node.exactCount++;
        node.subscriptions.add(s);
    }

    void remove(Subscription s) {
        if (s.pattern != null) {
            regexSubscriptions.remove(s);
            for (Node node : nodes.values()) {
                node.subscriptions.remove(s);
            }
            return;
        }
        Node node = nodes.get(s.topic);
        if (node == null || !node.subscriptions.remove(s)) {
            return;
        }
        node.exactCount--;
        if (node.exactCount == 0) {
            if (node.subscriptions.isEmpty()) {
                nodes.remove(s.topic);
            } else {
                cacheOnlyNodes++;
            }
        }
    }

    private void dropCacheOnlyNodes() {
        for (Iterator<Node> it = nodes.values().iterator(); it.hasNext(); ) {
            if (it.next().exactCount == 0) {
                it.remove();
            }
        }
        cacheOnlyNodes = 0;
    }

    int regexCount() {
        return regexSubscriptions.size();
    }

    int nodeCount() {
        return nodes.size();
    }
}
