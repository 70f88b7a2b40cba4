package dev.farad.store;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Settings of a {@link FileTransactionLog}. Immutable and validated on construction; build it with
 * {@link #builder(Path)}.
 *
 * <pre>{@code
 * LogConfig config = LogConfig.builder(Path.of("data/txlog"))
 *     .segmentBytes(64L << 20)
 *     .retentionAge(Duration.ofDays(7))
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe (immutable).
 *
 * @param directory where the segment files live; created if missing
 * @param segmentBytes size at which the writer starts a new segment, 4 KiB to 1 GiB; a record must fit
 *     in one segment
 * @param retentionBytes total size above which whole old segments are deleted; {@link #UNLIMITED_BYTES}
 *     keeps everything
 * @param retentionAge age (by the newest record of a segment) above which whole old segments are
 *     deleted; {@link #UNLIMITED_AGE} keeps everything
 * @param fsyncPolicy when written records are forced to disk
 * @param clock source of record timestamps and of "now" for age retention
 * @param maxBatchRecords most records written (and fsynced) as one batch, {@code >= 1}
 * @param queueCapacity how many appended records may wait for the writer before {@code append} blocks,
 *     {@code >= 1}
 */
public record LogConfig(
    Path directory,
    long segmentBytes,
    long retentionBytes,
    Duration retentionAge,
    FsyncPolicy fsyncPolicy,
    Clock clock,
    int maxBatchRecords,
    int queueCapacity) {

  /** Smallest allowed {@link #segmentBytes()}. */
  public static final long MIN_SEGMENT_BYTES = 4096;
  /** Largest allowed {@link #segmentBytes()}. */
  public static final long MAX_SEGMENT_BYTES = 1L << 30;
  /** Default {@link #segmentBytes()}: 128 MiB. */
  public static final long DEFAULT_SEGMENT_BYTES = 128L << 20;
  /** {@link #retentionBytes()} that never deletes by size. */
  public static final long UNLIMITED_BYTES = Long.MAX_VALUE;
  /** {@link #retentionAge()} that never deletes by age. */
  public static final Duration UNLIMITED_AGE = ChronoUnit.FOREVER.getDuration();
  /** Default {@link #maxBatchRecords()}. */
  public static final int DEFAULT_MAX_BATCH_RECORDS = 8192;
  /** Default {@link #queueCapacity()}. */
  public static final int DEFAULT_QUEUE_CAPACITY = 65536;

  /**
   * Validates the settings.
   *
   * @throws NullPointerException if a reference is {@code null}
   * @throws IllegalArgumentException naming the field, if a value is out of range
   */
  public LogConfig {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(retentionAge, "retentionAge");
    Objects.requireNonNull(fsyncPolicy, "fsyncPolicy");
    Objects.requireNonNull(clock, "clock");
    if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > MAX_SEGMENT_BYTES) {
      throw new IllegalArgumentException("segmentBytes must be between " + MIN_SEGMENT_BYTES + " and "
          + MAX_SEGMENT_BYTES + " but was " + segmentBytes);
    }
    if (retentionBytes <= 0) {
      throw new IllegalArgumentException("retentionBytes must be > 0 but was " + retentionBytes);
    }
    if (retentionAge.isNegative() || retentionAge.isZero()) {
      throw new IllegalArgumentException("retentionAge must be > 0 but was " + retentionAge);
    }
    if (maxBatchRecords < 1) {
      throw new IllegalArgumentException("maxBatchRecords must be >= 1 but was " + maxBatchRecords);
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be >= 1 but was " + queueCapacity);
    }
  }

  /** A builder with the defaults: 128 MiB segments, unlimited retention, fsync every batch, UTC clock. */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /** {@link #retentionAge()} in microseconds, saturated at {@link Long#MAX_VALUE}. */
  long retentionAgeMicros() {
    long seconds = retentionAge.getSeconds();
    if (seconds >= Long.MAX_VALUE / 1_000_000 - 1) {
      return Long.MAX_VALUE;
    }
    return seconds * 1_000_000 + retentionAge.getNano() / 1_000;
  }

  /** Gathers {@link LogConfig} settings; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private final Path directory;
    private long segmentBytes = DEFAULT_SEGMENT_BYTES;
    private long retentionBytes = UNLIMITED_BYTES;
    private Duration retentionAge = UNLIMITED_AGE;
    private FsyncPolicy fsyncPolicy = FsyncPolicy.EVERY_BATCH;
    private Clock clock = Clock.systemUTC();
    private int maxBatchRecords = DEFAULT_MAX_BATCH_RECORDS;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;

    private Builder(Path directory) {
      this.directory = directory;
    }

    /** See {@link LogConfig#segmentBytes()}. */
    public Builder segmentBytes(long segmentBytes) {
      this.segmentBytes = segmentBytes;
      return this;
    }

    /** See {@link LogConfig#retentionBytes()}. */
    public Builder retentionBytes(long retentionBytes) {
      this.retentionBytes = retentionBytes;
      return this;
    }

    /** See {@link LogConfig#retentionAge()}. */
    public Builder retentionAge(Duration retentionAge) {
      this.retentionAge = retentionAge;
      return this;
    }

    /** See {@link LogConfig#fsyncPolicy()}. */
    public Builder fsyncPolicy(FsyncPolicy fsyncPolicy) {
      this.fsyncPolicy = fsyncPolicy;
      return this;
    }

    /** See {@link LogConfig#clock()}. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** See {@link LogConfig#maxBatchRecords()}. */
    public Builder maxBatchRecords(int maxBatchRecords) {
      this.maxBatchRecords = maxBatchRecords;
      return this;
    }

    /** See {@link LogConfig#queueCapacity()}. */
    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = queueCapacity;
      return this;
    }

    /**
     * Builds the validated config.
     *
     * @throws NullPointerException if a reference is {@code null}
     * @throws IllegalArgumentException naming the field, if a value is out of range
     */
    public LogConfig build() {
      return new LogConfig(directory, segmentBytes, retentionBytes, retentionAge, fsyncPolicy, clock,
          maxBatchRecords, queueCapacity);
    }
  }
}
