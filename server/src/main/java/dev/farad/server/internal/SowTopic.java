package dev.farad.server.internal;

import dev.farad.filter.JsonPaths;
import dev.farad.server.SowTopicConfig;
import dev.farad.store.SowStore;

/** One concrete SOW topic: its config, its parsed key paths and its {@link SowStore}. Owned by the engine thread. */
final class SowTopic {
    final String topic;
    final SowTopicConfig config;
    final SowStore records = new SowStore();
    /**
     * How many running queries hold a snapshot of this topic's records. While any does, an update
     * replaces its record instead of being written into it ({@link SowStore#putInPlace}).
     */
    int snapshots;
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
