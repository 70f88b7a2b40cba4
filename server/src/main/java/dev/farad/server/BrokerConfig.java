package dev.farad.server;

import dev.farad.protocol.FaradUri;
import dev.farad.protocol.FrameDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.Properties;

/**
 * Everything that configures a broker. Immutable; build one with {@link #builder()}, whose
 * {@link Builder#build()} validates every field and names the field in its message. The defaults
 * are what {@code farad server} uses with no config file: 127.0.0.1:9007, 16 MiB frames, 64 MiB of
 * outbound buffer per connection, logon within 10 s.
 *
 * <p>Thread-safe (immutable).
 *
 * @param bindAddress address to listen on
 * @param port TCP port; 0 picks a free one
 * @param maxFrameBytes largest frame a client may send; longer ones close the connection
 * @param maxHeaderBytes largest frame header; longer ones close the connection
 * @param maxOutboundBytes bytes queued to one connection before it is disconnected as a slow client
 * @param maxConnections connections accepted at once; more are closed at accept
 * @param maxSubscriptionsPerConnection subscriptions one connection may hold
 * @param maxRegexLength longest topic regular expression accepted
 * @param logonTimeout how long a new connection may take to log on
 * @param ioThreads Netty I/O threads; 0 (the default) = one on a machine with one or two cores,
 *     else one per core
 * @param authenticator who may log on
 * @param sowTopics topics that keep a State of the World
 * @param txLog the transaction log, or {@code null} for none (the default)
 * @param usersFile users, password hashes and entitlements (see {@code docs/SECURITY.md}), or
 *     {@code null}: anyone may log on and do anything
 * @param maxFilterLength longest content filter accepted, in characters
 * @param maxFilterDepth deepest nesting of a content filter accepted
 * @param tls the TLS key store; when set the listener speaks only TLS ({@code tcps}); {@code null}
 *     for plain TCP
 * @param engineThread where the engine runs: its own thread, or the first I/O thread (with
 *     {@code ioThreads=1} the whole broker is then one thread, which saves a hand-off and two
 *     wake-ups per message and suits small machines); {@link EngineThread#AUTO} by default
 * @param maxQueryRowsPerConnection records the running {@code sow} queries of one connection may
 *     hold at once (each costs the broker about 28 bytes until it is written); a query that could
 *     pass it is refused with {@code query limit reached}
 */
public record BrokerConfig(String bindAddress, int port, int maxFrameBytes, int maxHeaderBytes,
        long maxOutboundBytes, int maxConnections, int maxSubscriptionsPerConnection, int maxRegexLength,
        Duration logonTimeout, int ioThreads, Authenticator authenticator, List<SowTopicConfig> sowTopics,
        TxLogConfig txLog, Path usersFile, int maxFilterLength, int maxFilterDepth, TlsConfig tls,
        EngineThread engineThread, long maxQueryRowsPerConnection) {

    public BrokerConfig {
        sowTopics = List.copyOf(sowTopics);
    }

    /** The built-in defaults. */
    public static BrokerConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder preloaded with this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.bindAddress = bindAddress;
        b.port = port;
        b.maxFrameBytes = maxFrameBytes;
        b.maxHeaderBytes = maxHeaderBytes;
        b.maxOutboundBytes = maxOutboundBytes;
        b.maxConnections = maxConnections;
        b.maxSubscriptionsPerConnection = maxSubscriptionsPerConnection;
        b.maxRegexLength = maxRegexLength;
        b.logonTimeout = logonTimeout;
        b.ioThreads = ioThreads;
        b.authenticator = authenticator;
        b.sowTopics = new ArrayList<>(sowTopics);
        b.txLog = txLog;
        b.usersFile = usersFile;
        b.maxFilterLength = maxFilterLength;
        b.maxFilterDepth = maxFilterDepth;
        b.tls = tls;
        b.engineThread = engineThread;
        b.maxQueryRowsPerConnection = maxQueryRowsPerConnection;
        return b;
    }

    /**
     * Reads a properties file whose keys are the builder's setter names ({@code port=9007},
     * {@code maxOutboundBytes=67108864}, {@code logonTimeout=PT10S}); absent keys keep the
     * defaults. A State of the World is declared with {@code sow.<name>.topic=orders},
     * {@code sow.<name>.key=/id} (comma list; absent = user-keyed) and optionally
     * {@code sow.<name>.expiration=PT60S}. The transaction log is on when {@code dataDirectory} is
     * set: {@code log.<name>.topic=orders.*} (repeatable; name or full-match regex) names the logged
     * topics, and {@code logSegmentBytes}, {@code logRetentionBytes}, {@code logRetentionAge}
     * ({@code PT24H}) and {@code logFsync} ({@code every_batch} or {@code never}) tune it.
     * TLS is {@code tlsKeyStore=server.p12} with {@code
     * tlsKeyStorePassword=...}; relative paths ({@code usersFile}, {@code tlsKeyStore}) are resolved
     * against the config file's directory.
     *
     * @throws IllegalArgumentException naming the file, key and problem
     */
    public static BrokerConfig load(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        Builder b = builder();
        Map<String, String[]> sows = new TreeMap<>();
        Map<String, String> logTopics = new TreeMap<>();
        Map<String, String> logSettings = new TreeMap<>();
        String[] tls = new String[2];
        for (String key : p.stringPropertyNames()) {
            String v = p.getProperty(key).trim();
            String shown = key.toLowerCase(java.util.Locale.ROOT).contains("password") ? "****" : v;
            try {
                if (key.startsWith("log.")) {
                    String[] parts = key.split("\\.");
                    if (parts.length != 3 || !parts[2].equals("topic")) {
                        throw new IllegalArgumentException("expected log.<name>.topic");
                    }
                    logTopics.put(parts[1], v);
                    continue;
                }
                if (List.of("dataDirectory", "logSegmentBytes", "logRetentionBytes", "logRetentionAge", "logFsync")
                        .contains(key)) {
                    logSettings.put(key, v);
                    continue;
                }
                if (key.startsWith("sow.")) {
                    String[] parts = key.split("\\.");
                    if (parts.length != 3 || !List.of("topic", "key", "expiration").contains(parts[2])) {
                        throw new IllegalArgumentException("expected sow.<name>.topic, .key or .expiration");
                    }
                    String[] entry = sows.computeIfAbsent(parts[1], n -> new String[3]);
                    entry[List.of("topic", "key", "expiration").indexOf(parts[2])] = v;
                    continue;
                }
                switch (key) {
                    case "bindAddress" -> b.bindAddress(v);
                    case "port" -> b.port(Integer.parseInt(v));
                    case "maxFrameBytes" -> b.maxFrameBytes(Integer.parseInt(v));
                    case "maxHeaderBytes" -> b.maxHeaderBytes(Integer.parseInt(v));
                    case "maxOutboundBytes" -> b.maxOutboundBytes(Long.parseLong(v));
                    case "maxConnections" -> b.maxConnections(Integer.parseInt(v));
                    case "maxSubscriptionsPerConnection" -> b.maxSubscriptionsPerConnection(Integer.parseInt(v));
                    case "maxQueryRowsPerConnection" -> b.maxQueryRowsPerConnection(Long.parseLong(v));
                    case "maxRegexLength" -> b.maxRegexLength(Integer.parseInt(v));
                    case "logonTimeout" -> b.logonTimeout(Duration.parse(v));
                    case "ioThreads" -> b.ioThreads(Integer.parseInt(v));
                    case "engineThread" -> b.engineThread(engineThreadOf(v));
                    case "usersFile" -> b.usersFile(resolve(file, v));
                    case "maxFilterLength" -> b.maxFilterLength(Integer.parseInt(v));
                    case "maxFilterDepth" -> b.maxFilterDepth(Integer.parseInt(v));
                    case "tlsKeyStore" -> tls[0] = v;
                    case "tlsKeyStorePassword" -> tls[1] = v;
                    default -> throw new IllegalArgumentException("unknown key");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("config file " + file + ": key '" + key + "' = '" + shown
                        + "': " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
            }
        }
        for (Map.Entry<String, String[]> e : sows.entrySet()) {
            String[] v = e.getValue();
            try {
                if (v[0] == null) {
                    throw new IllegalArgumentException("missing sow." + e.getKey() + ".topic");
                }
                List<String> keys = v[1] == null || v[1].isBlank() ? List.of()
                        : Arrays.stream(v[1].split(",")).map(String::trim).toList();
                b.sowTopic(new SowTopicConfig(v[0], keys, v[2] == null ? null : Duration.parse(v[2])));
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException("config file " + file + ": sow '" + e.getKey() + "': "
                        + ex.getMessage(), ex);
            }
        }
        if (tls[0] != null) {
            b.tls(new TlsConfig(resolve(file, tls[0]), tls[1] == null ? new char[0] : tls[1].toCharArray()));
        } else if (tls[1] != null) {
            throw new IllegalArgumentException("config file " + file + ": tlsKeyStorePassword needs tlsKeyStore");
        }
        b.txLog(txLogOf(file, logTopics, logSettings));
        return b.build();
    }

    private static Path resolve(Path configFile, String value) {
        Path v = Path.of(value);
        Path dir = configFile.toAbsolutePath().getParent();
        return v.isAbsolute() || dir == null ? v : dir.resolve(v);
    }

    /** Every field; the TLS password is hidden by {@link TlsConfig#toString()}. */
    @Override
    public String toString() {
        return "BrokerConfig[bindAddress=" + bindAddress + ", port=" + port + ", maxFrameBytes=" + maxFrameBytes
                + ", maxHeaderBytes=" + maxHeaderBytes + ", maxOutboundBytes=" + maxOutboundBytes
                + ", maxConnections=" + maxConnections + ", maxSubscriptionsPerConnection="
                + maxSubscriptionsPerConnection + ", maxQueryRowsPerConnection=" + maxQueryRowsPerConnection
                + ", maxRegexLength=" + maxRegexLength + ", logonTimeout="
                + logonTimeout + ", ioThreads=" + ioThreads + ", sowTopics=" + sowTopics + ", usersFile="
                + usersFile + ", maxFilterLength=" + maxFilterLength + ", maxFilterDepth=" + maxFilterDepth
                + ", tls=" + tls + ", txLog=" + txLog + ", engineThread=" + engineThread + "]";
    }

    private static EngineThread engineThreadOf(String v) {
        return switch (v) {
            case "auto" -> EngineThread.AUTO;
            case "own" -> EngineThread.OWN;
            case "io" -> EngineThread.IO_THREAD;
            default -> throw new IllegalArgumentException("expected auto, own or io");
        };
    }

    /**
     * The number of I/O threads the broker starts: {@code ioThreads}, or when it is 0, one on a
     * machine with one or two cores (the engine then shares it: the broker is one thread and
     * leaves the other core to the clients and the OS; see docs/PERFORMANCE.md for the runs that
     * chose this) and one per core on larger machines.
     */
    public int ioThreadCount() {
        if (ioThreads > 0) {
            return ioThreads;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        return cores <= 2 ? 1 : cores;
    }

    /** Whether the engine runs on the first I/O thread: {@link #engineThread()} with AUTO resolved. */
    public boolean engineOnIoThread() {
        return switch (engineThread) {
            case OWN -> false;
            case IO_THREAD -> true;
            case AUTO -> ioThreadCount() == 1;
        };
    }

    private static TxLogConfig txLogOf(Path file, Map<String, String> topics, Map<String, String> settings) {
        String dir = settings.get("dataDirectory");
        if (dir == null) {
            if (!topics.isEmpty() || !settings.isEmpty()) {
                throw new IllegalArgumentException("config file " + file
                        + ": log settings need dataDirectory (there is no transaction log without one)");
            }
            return null;
        }
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("config file " + file
                    + ": dataDirectory is set but no log.<name>.topic names a logged topic");
        }
        String key = "";
        try {
            TxLogConfig c = TxLogConfig.of(resolve(file, dir), topics.values().toArray(String[]::new));
            long segment = c.segmentBytes();
            long retentionBytes = c.retentionBytes();
            Duration retentionAge = c.retentionAge();
            dev.farad.store.FsyncPolicy fsync = c.fsyncPolicy();
            for (Map.Entry<String, String> e : settings.entrySet()) {
                key = e.getKey();
                switch (key) {
                    case "logSegmentBytes" -> segment = Long.parseLong(e.getValue());
                    case "logRetentionBytes" -> retentionBytes = Long.parseLong(e.getValue());
                    case "logRetentionAge" -> retentionAge = Duration.parse(e.getValue());
                    case "logFsync" -> fsync = dev.farad.store.FsyncPolicy.valueOf(
                            e.getValue().toUpperCase(java.util.Locale.ROOT));
                    default -> { }
                }
            }
            key = "log*";
            return new TxLogConfig(c.dataDirectory(), c.topics(), segment, retentionBytes, retentionAge, fsync,
                    c.channels());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("config file " + file + ": key '" + key + "': "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
    }

    /** Collects settings; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private String bindAddress = "127.0.0.1";
        private int port = FaradUri.DEFAULT_PORT;
        private int maxFrameBytes = FrameDecoder.DEFAULT_MAX_FRAME_BYTES;
        private int maxHeaderBytes = FrameDecoder.DEFAULT_MAX_HEADER_BYTES;
        private long maxOutboundBytes = 64L * 1024 * 1024;
        private int maxConnections = 10_000;
        private int maxSubscriptionsPerConnection = 10_000;
        private long maxQueryRowsPerConnection = 10_000_000;
        private int maxRegexLength = 1024;
        private Duration logonTimeout = Duration.ofSeconds(10);
        private int ioThreads = 0;
        private Authenticator authenticator = Authenticator.ACCEPT_ALL;
        private List<SowTopicConfig> sowTopics = new ArrayList<>();
        private TxLogConfig txLog;
        private Path usersFile;
        private int maxFilterLength = 4096;
        private int maxFilterDepth = 64;
        private TlsConfig tls;
        private EngineThread engineThread = EngineThread.AUTO;

        private Builder() {}

        /** Turns the transaction log on ({@code null}: off, the default). */
        public Builder txLog(TxLogConfig v) {
            this.txLog = v;
            return this;
        }

        /**
         * The users file: password hashes and entitlements, written by {@code farad passwd}. It is
         * read once, when the broker starts. {@code null} (the default) lets anyone log on.
         */
        public Builder usersFile(Path v) {
            this.usersFile = v;
            return this;
        }

        /** Longest content filter (characters) a subscription, query or delete may carry. */
        public Builder maxFilterLength(int v) {
            this.maxFilterLength = v;
            return this;
        }

        /** Deepest nesting (parentheses, NOT, function calls) a content filter may have. */
        public Builder maxFilterDepth(int v) {
            this.maxFilterDepth = v;
            return this;
        }

        /** Serve TLS ({@code tcps}) with this key store instead of plain TCP; {@code null} for TCP. */
        public Builder tls(TlsConfig v) {
            this.tls = v;
            return this;
        }

        /** Adds a topic (or topic pattern) that keeps a State of the World. */
        public Builder sowTopic(SowTopicConfig v) {
            this.sowTopics.add(Objects.requireNonNull(v, "sowTopic"));
            return this;
        }

        public Builder bindAddress(String v) {
            this.bindAddress = Objects.requireNonNull(v, "bindAddress");
            return this;
        }

        public Builder port(int v) {
            this.port = v;
            return this;
        }

        public Builder maxFrameBytes(int v) {
            this.maxFrameBytes = v;
            return this;
        }

        public Builder maxHeaderBytes(int v) {
            this.maxHeaderBytes = v;
            return this;
        }

        public Builder maxOutboundBytes(long v) {
            this.maxOutboundBytes = v;
            return this;
        }

        public Builder maxConnections(int v) {
            this.maxConnections = v;
            return this;
        }

        public Builder maxSubscriptionsPerConnection(int v) {
            this.maxSubscriptionsPerConnection = v;
            return this;
        }

        /** See {@link BrokerConfig#maxQueryRowsPerConnection()}. */
        public Builder maxQueryRowsPerConnection(long v) {
            this.maxQueryRowsPerConnection = v;
            return this;
        }

        public Builder maxRegexLength(int v) {
            this.maxRegexLength = v;
            return this;
        }

        public Builder logonTimeout(Duration v) {
            this.logonTimeout = Objects.requireNonNull(v, "logonTimeout");
            return this;
        }

        public Builder ioThreads(int v) {
            this.ioThreads = v;
            return this;
        }

        /** Where the engine runs (see {@link BrokerConfig#engineThread()}). */
        public Builder engineThread(EngineThread v) {
            this.engineThread = Objects.requireNonNull(v, "engineThread");
            return this;
        }

        public Builder authenticator(Authenticator v) {
            this.authenticator = Objects.requireNonNull(v, "authenticator");
            return this;
        }

        /** Validates and builds; each failure names the field and the value. */
        public BrokerConfig build() {
            check(port >= 0 && port <= 65535, "port must be in 0..65535 but was " + port);
            check(maxFrameBytes >= 64, "maxFrameBytes must be >= 64 but was " + maxFrameBytes);
            check(maxHeaderBytes >= 32 && maxHeaderBytes <= maxFrameBytes,
                    "maxHeaderBytes must be in 32..maxFrameBytes but was " + maxHeaderBytes);
            check(maxOutboundBytes >= 64 * 1024, "maxOutboundBytes must be >= 65536 but was " + maxOutboundBytes);
            check(maxConnections > 0, "maxConnections must be > 0 but was " + maxConnections);
            check(maxSubscriptionsPerConnection > 0,
                    "maxSubscriptionsPerConnection must be > 0 but was " + maxSubscriptionsPerConnection);
            check(maxQueryRowsPerConnection > 0,
                    "maxQueryRowsPerConnection must be > 0 but was " + maxQueryRowsPerConnection);
            check(maxRegexLength > 0, "maxRegexLength must be > 0 but was " + maxRegexLength);
            check(!logonTimeout.isNegative() && !logonTimeout.isZero(),
                    "logonTimeout must be > 0 but was " + logonTimeout);
            check(ioThreads >= 0, "ioThreads must be >= 0 but was " + ioThreads);
            check(maxFilterLength > 0, "maxFilterLength must be > 0 but was " + maxFilterLength);
            check(maxFilterDepth > 0, "maxFilterDepth must be > 0 but was " + maxFilterDepth);
            return new BrokerConfig(bindAddress, port, maxFrameBytes, maxHeaderBytes, maxOutboundBytes,
                    maxConnections, maxSubscriptionsPerConnection, maxRegexLength, logonTimeout, ioThreads,
                    authenticator, sowTopics, txLog, usersFile, maxFilterLength, maxFilterDepth, tls, engineThread,
                    maxQueryRowsPerConnection);
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
