package dev.farad.server;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Declares that a topic (or every topic a regular expression matches in full) keeps a State of the
 * World: the latest message per key, which {@code sow} queries return.
 *
 * <p>With key paths, each message's key is the values at those paths ({@code /id}, or {@code
 * /region,/id} for a composite key); a message lacking one is refused with {@code bad sow key}.
 * Without key paths the topic is user-keyed: publishers name the key with {@code sow_key}.
 *
 * <p>Immutable; thread-safe.
 *
 * @param topic a topic name, or a regular expression (RE2) matched against whole topic names
 * @param keyPaths the key paths; empty for a user-keyed topic
 * @param expiration how long a record lives unless its publish says otherwise; {@code null} = forever
 */
public record SowTopicConfig(String topic, List<String> keyPaths, Duration expiration) {
    public SowTopicConfig {
        Objects.requireNonNull(topic, "topic");
        keyPaths = List.copyOf(keyPaths);
        if (topic.isBlank()) {
            throw new IllegalArgumentException("sow topic must not be blank");
        }
        for (String p : keyPaths) {
            if (!p.startsWith("/")) {
                throw new IllegalArgumentException("sow key path must start with '/' but was '" + p + "'");
            }
        }
        if (expiration != null && (expiration.isNegative() || expiration.isZero())) {
            throw new IllegalArgumentException("sow expiration must be > 0 but was " + expiration);
        }
    }

    /** A topic keyed by the given paths, records never expire. */
    public static SowTopicConfig keyed(String topic, String... keyPaths) {
        return new SowTopicConfig(topic, List.of(keyPaths), null);
    }
}
