package dev.farad.server.internal;

import dev.farad.filter.JsonPaths;
import dev.farad.server.SowTopicConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** The records of one concrete SOW topic, in first-insert order. Owned by the engine thread. */
final class SowTopic {
    final String topic;
    final SowTopicConfig config;
    final Map<String, SowRecord> records = new LinkedHashMap<>();
    /** The key paths, parsed once; {@code null} for a user-keyed topic. */
    final JsonPaths.Compiled keyPaths;

    SowTopic(String topic, SowTopicConfig config) {
        this.topic = topic;
        this.config = config;
        this.keyPaths = config.keyPaths().isEmpty() ? null : JsonPaths.compile(config.keyPaths());
    }

    boolean userKeyed() {
        return config.keyPaths().isEmpty();
    }
}
