package dev.farad.server.internal;

import com.google.re2j.Pattern;
import dev.farad.protocol.HeaderCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** One subscription of one connection. Owned by the engine thread. */
final class Subscription {
    final Connection connection;
    final String subId;
    final String topic;
    /** Non-null when {@link #topic} is a regular expression. */
    final Pattern pattern;
    MessageFilter filter;
    String filterText;
    final String options;
    /** Whether the subscriber asked for out-of-focus notices ({@code oof}). */
    final boolean oof;
    /** {@code ,"sub_id":"<id>"} pre-encoded, so a delivery writes it with one copy. */
    final byte[] subIdField;
    /** A bookmark subscription still replaying the log: live logged messages skip it. */
    boolean replaying;
    /** Live logged messages at or below this log sequence were (or will be) replayed instead. */
    long replayedUpTo;
    /** Set when the subscription is removed, so a replay stops. */
    boolean removed;

    Subscription(Connection connection, String subId, String topic, Pattern pattern, MessageFilter filter,
            String filterText, String options) {
        this.connection = connection;
        this.subId = subId;
        this.topic = topic;
        this.pattern = pattern;
        this.filter = filter;
        this.filterText = filterText;
        this.options = options;
        this.oof = TopicNames.hasOption(options, "oof");
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(",\"sub_id\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        HeaderCodec.writeJsonString(b, subId);
        this.subIdField = new byte[b.readableBytes()];
        b.readBytes(subIdField);
        b.release();
    }

    boolean matchesTopic(String t) {
        return pattern == null ? topic.equals(t) : pattern.matcher(t).find();
    }

    @Override
    public String toString() {
        return "subscription '" + subId + "' on '" + topic + "' of " + connection;
    }
}
