package dev.farad.server;

import dev.farad.store.FsyncPolicy;
import dev.farad.store.LogConfig;
import dev.farad.store.internal.ChannelFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Which topics the broker records in its transaction log, and where and how the log is kept.
 * Without one ({@link BrokerConfig#txLog()} is {@code null}) the broker keeps no log: persisted
 * acks are sent at once and bookmark subscriptions are refused.
 *
 * <p>A topic is logged when it equals one of {@link #topics()} or, for an entry containing regular
 * expression metacharacters, when the expression (RE2) matches the whole topic name.
 *
 * <p>Immutable; thread-safe.
 *
 * <pre>{@code
 * TxLogConfig log = TxLogConfig.of(Path.of("data"), "orders", "positions\\..*");
 * }</pre>
 *
 * @param dataDirectory the broker's data directory; the log lives in {@code <dataDirectory>/txlog}
 * @param topics logged topic names or patterns; not empty
 * @param segmentBytes roll to a new segment file at this size
 * @param retentionBytes delete the oldest segments while the log is larger than this
 * @param retentionAge delete segments whose newest record is older than this
 * @param fsyncPolicy {@link FsyncPolicy#EVERY_BATCH} for power-loss durability (default)
 * @param channels opens the log's files; {@link ChannelFactory#DEFAULT} except in fault-injection
 *     tests
 */
public record TxLogConfig(Path dataDirectory, List<String> topics, long segmentBytes, long retentionBytes,
        Duration retentionAge, FsyncPolicy fsyncPolicy, ChannelFactory channels) {

    public TxLogConfig {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(retentionAge, "retentionAge");
        Objects.requireNonNull(fsyncPolicy, "fsyncPolicy");
        Objects.requireNonNull(channels, "channels");
        topics = List.copyOf(topics);
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("txLog topics must not be empty");
        }
        for (String t : topics) {
            if (t.isBlank()) {
                throw new IllegalArgumentException("txLog topic must not be blank");
            }
        }
        // Let the store validate sizes and ages with its own messages (fields are not assigned yet).
        LogConfig.builder(dataDirectory).segmentBytes(segmentBytes).retentionBytes(retentionBytes)
                .retentionAge(retentionAge).fsyncPolicy(fsyncPolicy).build();
    }

    /** Logs {@code topics} in {@code dataDirectory} with the store's defaults. */
    public static TxLogConfig of(Path dataDirectory, String... topics) {
        return new TxLogConfig(dataDirectory, List.of(topics), LogConfig.DEFAULT_SEGMENT_BYTES,
                LogConfig.UNLIMITED_BYTES, LogConfig.UNLIMITED_AGE, FsyncPolicy.EVERY_BATCH, ChannelFactory.DEFAULT);
    }

    /** The directory holding the segment files. */
    public Path logDirectory() {
        return dataDirectory.resolve("txlog");
    }

    /** This config as the store's {@link LogConfig}. */
    public LogConfig toLogConfig() {
        return LogConfig.builder(logDirectory()).segmentBytes(segmentBytes).retentionBytes(retentionBytes)
                .retentionAge(retentionAge).fsyncPolicy(fsyncPolicy).build();
    }

    /** A copy with another file opener (fault injection). */
    public TxLogConfig withChannels(ChannelFactory v) {
        return new TxLogConfig(dataDirectory, topics, segmentBytes, retentionBytes, retentionAge, fsyncPolicy, v);
    }

    /** A copy with another fsync policy. */
    public TxLogConfig withFsyncPolicy(FsyncPolicy v) {
        return new TxLogConfig(dataDirectory, topics, segmentBytes, retentionBytes, retentionAge, v, channels);
    }

    /** A copy with another segment size. */
    public TxLogConfig withSegmentBytes(long v) {
        return new TxLogConfig(dataDirectory, topics, v, retentionBytes, retentionAge, fsyncPolicy, channels);
    }
}
