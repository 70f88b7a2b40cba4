package dev.farad.server.internal;

import com.google.re2j.Pattern;
import dev.farad.server.SowTopicConfig;
import dev.farad.store.SowRecord;
import dev.farad.store.SowStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.BiConsumer;

/**
 * Every State of the World the broker keeps: which topics have one (from the config), their
 * records, and when records expire.
 *
 * <p>Keys: for a keyed topic the key is the URL-safe base64 of the key values joined by NUL, so
 * distinct values never collide and the key is safe to pass back in {@code sow_keys}; for a
 * user-keyed topic it is the publisher's {@code sow_key}.
 *
 * <p>Not thread-safe: confined to the engine thread.
 */
final class StateOfTheWorld {
    private record Declared(SowTopicConfig config, Pattern pattern) {}

    /** A record's expiry time; {@code sequence} tells whether the record has since taken an update in place. */
    private record Expiry(long atNanos, SowTopic topic, SowRecord record, long sequence) {
        Expiry(long atNanos, SowTopic topic, SowRecord record) {
            this(atNanos, topic, record, record.sequence());
        }

        boolean stillDue() {
            return topic.records.isCurrent(record) && record.sequence() == sequence;
        }
    }

    private static final Base64.Encoder KEY_ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final List<Declared> declared = new ArrayList<>();
    private final Map<String, SowTopic> topics = new HashMap<>();
    /** Topics looked up and found to have no SOW, so the config is scanned once per topic. */
    private final Map<String, Boolean> notSow = new HashMap<>();
    private final PriorityQueue<Expiry> expiries = new PriorityQueue<>((a, b) -> Long.compare(a.atNanos, b.atNanos));

    StateOfTheWorld(List<SowTopicConfig> configs) {
        for (SowTopicConfig c : configs) {
            Pattern p = TopicNames.isRegex(c.topic()) ? Pattern.compile(c.topic()) : null;
            declared.add(new Declared(c, p));
        }
    }

    boolean isEmpty() {
        return declared.isEmpty();
    }

    /** The SOW of a literal topic, created on first use; {@code null} if the topic has none. */
    SowTopic topic(String name) {
        SowTopic t = topics.get(name);
        if (t != null || declared.isEmpty() || notSow.containsKey(name)) {
            return t;
        }
        for (Declared d : declared) {
            if (d.pattern == null ? d.config.topic().equals(name) : d.pattern.matches(name)) {
                t = new SowTopic(name, d.config);
                topics.put(name, t);
                return t;
            }
        }
        if (notSow.size() > TopicIndex.MAX_CACHED_TOPICS) {
            notSow.clear();
        }
        notSow.put(name, Boolean.TRUE);
        return null;
    }

    /** Whether a query on {@code topic} (literal or pattern) can name any SOW topic. */
    boolean declares(String topic, Pattern pattern) {
        if (pattern == null) {
            return topic(topic) != null;
        }
        for (Declared d : declared) {
            if (d.pattern != null || pattern.matcher(d.config.topic()).find()) {
                return true;
            }
        }
        return false;
    }

    /** The existing SOW topics a query names, in the order they were created. */
    List<SowTopic> matching(String topic, Pattern pattern) {
        if (pattern == null) {
            SowTopic t = topic(topic);
            return t == null ? List.of() : List.of(t);
        }
        List<SowTopic> out = new ArrayList<>();
        for (SowTopic t : topics.values()) {
            if (pattern.matcher(t.topic).find()) {
                out.add(t);
            }
        }
        out.sort((a, b) -> a.topic.compareTo(b.topic));
        return out;
    }

    /**
     * The key of {@code data} in {@code t}.
     *
     * @param userKey the publisher's {@code sow_key}, used only by user-keyed topics
     * @throws IllegalArgumentException when the key cannot be formed (the message says why)
     */
    static String keyOf(SowTopic t, byte[] data, String userKey) {
        return keyOf(t, data, data.length, userKey);
    }

    /** The key of the message in {@code data[0, length)}; see {@link #keyOf(SowTopic, byte[], String)}. */
    static String keyOf(SowTopic t, byte[] data, int length, String userKey) {
        if (t.userKeyed()) {
            if (userKey == null || userKey.isEmpty()) {
                throw new IllegalArgumentException("topic '" + t.topic + "' is user-keyed: publish with sow_key");
            }
            return userKey;
        }
        byte[] joined = t.keyPaths.joinedUtf8(data, 0, length, (byte) 0);
        if (joined != null) {
            return KEY_ENCODER.encodeToString(joined);
        }
        List<String> values = t.keyPaths.extract(data, 0, length); // only to say which one is missing
        int missing = Math.max(0, values.indexOf(null));
        throw new IllegalArgumentException("message on '" + t.topic + "' has no value at key path "
                + t.config.keyPaths().get(missing));
    }

    /** Stores {@code r}, returning the record it replaced or {@code null}. */
    SowRecord put(SowTopic t, SowRecord r) {
        if (r.expiresAtNanos() != SowRecord.NEVER) {
            expiries.add(new Expiry(r.expiresAtNanos(), t, r));
        }
        return t.records.put(r);
    }

    /** Stores a copy of {@code message[0, length)} under {@code key} with {@link SowStore#putInPlace}. */
    void putInPlace(SowTopic t, String key, byte[] message, int length, long sequence, long expiresAtNanos,
            String correlationId) {
        SowRecord r = t.records.putInPlace(key, message, 0, length, sequence, expiresAtNanos, correlationId);
        if (expiresAtNanos != SowRecord.NEVER) {
            expiries.add(new Expiry(expiresAtNanos, t, r));
        }
    }

    SowRecord remove(SowTopic t, String key) {
        return t.records.remove(key);
    }

    /** Expiry time for a record published now with lifetime {@code seconds} (-1 = topic default). */
    static long expiresAt(SowTopic t, long seconds, long nowNanos) {
        if (seconds > 0) {
            return nowNanos + seconds * 1_000_000_000L;
        }
        if (t.config.expiration() != null) {
            return nowNanos + t.config.expiration().toNanos();
        }
        return SowRecord.NEVER;
    }

    /** Removes every record whose time has come, telling {@code onExpired} about each. */
    void expire(long nowNanos, BiConsumer<SowTopic, SowRecord> onExpired) {
        Expiry e;
        while ((e = expiries.peek()) != null && e.atNanos - nowNanos <= 0) {
            expiries.poll();
            if (e.stillDue()) {
                e.topic.records.remove(e.record.key());
                onExpired.accept(e.topic, e.record);
            }
        }
    }

    int recordCount() {
        int n = 0;
        for (SowTopic t : topics.values()) {
            n += t.records.size();
        }
        return n;
    }
}
