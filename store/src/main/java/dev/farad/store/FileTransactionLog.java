package dev.farad.store;

import dev.farad.store.internal.ChannelFactory;
import dev.farad.store.internal.FileLogReader;
import dev.farad.store.internal.GatheringBuffer;
import dev.farad.store.internal.LogFormat;
import dev.farad.store.internal.RecordCursor;
import dev.farad.store.internal.Recovery;
import dev.farad.store.internal.Segment;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32C;

/**
 * {@link TransactionLog} stored as segment files in one directory, with group commit on a single writer
 * thread.
 *
 * <p>Lifecycle: {@link #open(LogConfig)} locks the directory, recovers it (see {@code docs/STORAGE.md}:
 * checksums verified, a torn tail cut, corruption in the middle refused with
 * {@link LogCorruptedException}) and starts the writer thread {@code farad-log-writer-0}.
 * {@link #close()} drains the queue, then stops the writer and releases the directory.
 *
 * <p>Writing: {@link #append} puts the record on a bounded queue. The writer takes everything queued
 * (up to {@link LogConfig#maxBatchRecords()}), encodes it into reused direct buffers, writes it with one
 * gathering write per {@value #MAX_PENDING_BYTES} bytes, forces the file once ({@link FsyncPolicy#EVERY_BATCH}) and only then publishes the new
 * {@link #durableSequence()} and calls {@link DurabilityListener#onDurable}. A batch that crosses a
 * segment boundary is committed in two parts, one per file. If a write or force fails, the file is cut
 * back to the end of the last durable record and the whole remainder of the batch is reported with
 * {@link DurabilityListener#onFailure}; later batches are tried normally.
 *
 * <p>Retention: after each batch, and once a second when idle, whole segments other than the active
 * one are deleted, oldest first, while the total size exceeds {@link LogConfig#retentionBytes()} or
 * their newest record is older than {@link LogConfig#retentionAge()}.
 *
 * <p>Threading: {@link #append} from one thread only; every other method is thread-safe.
 *
 * <pre>{@code
 * try (FileTransactionLog log = FileTransactionLog.open(LogConfig.builder(dir).build(), listener)) {
 *   long seq = log.append(LogRecord.Kind.PUBLISH, "orders", "router-1", 7, null, null, payload);
 *   try (LogReader reader = log.openReader(0)) {
 *     for (LogRecord r = reader.next(); r != null; r = reader.next()) { ... }
 *   }
 * }
 * }</pre>
 *
 * <p>Pitfalls: timestamps never go backwards along the log (a clock that steps back yields the previous
 * timestamp again). Sequences may have gaps where writes failed. The per-publisher table forgets
 * publishers whose records all lived in segments deleted by retention before a restart.
 */
public final class FileTransactionLog implements TransactionLog {
  private static final System.Logger LOG = System.getLogger(FileTransactionLog.class.getName());
  private static final String LOCK_FILE = "farad-log.lock";
  private static final long IDLE_RETENTION_CHECK_MS = 1000;
  /** Bytes encoded before a write is issued; bounds the writer's memory for large batches. */
  private static final long MAX_PENDING_BYTES = 8L << 20;
  /** Queued by close(): the writer stops after the records before it. */
  private static final LogRecord STOP = new LogRecord(1, 0, LogRecord.Kind.PUBLISH, "", "", 0, null, null,
      new byte[0]);

  private final LogConfig config;
  private final ChannelFactory channels;
  private final BlockingQueue<LogRecord> queue;
  private final Map<String, Long> publisherSequences;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Writer writer;
  private final Thread writerThread;
  private volatile List<Segment> segments;
  private volatile DurabilityListener listener;
  private volatile long durableSequence;
  private volatile long lastSequence;
  // Confined to the appending thread.
  private long lastTimestampMicros;

  private FileTransactionLog(LogConfig config, DurabilityListener listener, ChannelFactory channels,
      FileChannel lockChannel, FileLock lock, Recovery.Result recovered) throws IOException {
    this.config = config;
    this.channels = channels;
    this.listener = listener;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
    this.publisherSequences = new ConcurrentHashMap<>(recovered.publisherSequences());
    this.segments = List.copyOf(recovered.segments());
    this.lastSequence = recovered.nextSequenceFloor() - 1;
    this.durableSequence = recovered.lastSequence();
    this.lastTimestampMicros = recovered.lastTimestampMicros();
    this.writer = new Writer();
    writer.start(recovered.nextSequenceFloor());
    this.writerThread = new Thread(writer::run, "farad-log-writer-0");
    writerThread.setDaemon(true);
    writerThread.start();
  }

  /**
   * Opens (creating if needed) the log in {@code config.directory()}, without a listener.
   *
   * @throws LogCorruptedException if recovery finds damage that is not a torn tail
   * @throws IOException if the directory is locked by another log, or a file cannot be read or written
   */
  public static FileTransactionLog open(LogConfig config) throws IOException {
    return open(config, DurabilityListener.NONE);
  }

  /**
   * Opens (creating if needed) the log in {@code config.directory()} and reports durability to
   * {@code listener}.
   *
   * @throws LogCorruptedException if recovery finds damage that is not a torn tail
   * @throws IOException if the directory is locked by another log, or a file cannot be read or written
   */
  public static FileTransactionLog open(LogConfig config, DurabilityListener listener) throws IOException {
    return open(config, listener, ChannelFactory.DEFAULT);
  }

  /**
   * Opens with an injected file opener; the seam for fault-injection tests (a channel that fails
   * with "No space left on device", for example). Production code uses the other overloads.
   *
   * @throws LogCorruptedException if recovery finds damage that is not a torn tail
   * @throws IOException if the directory is locked by another log, or a file cannot be read or written
   */
  public static FileTransactionLog open(LogConfig config, DurabilityListener listener, ChannelFactory channels)
      throws IOException {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(channels, "channels");
    Files.createDirectories(config.directory());
    FileChannel lockChannel = FileChannel.open(config.directory().resolve(LOCK_FILE),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = tryLock(lockChannel, config.directory());
      Recovery.Result recovered = Recovery.recover(config.directory(), channels, LOG);
      return new FileTransactionLog(config, listener, channels, lockChannel, lock, recovered);
    } catch (IOException | RuntimeException e) {
      lockChannel.close();
      throw e;
    }
  }

  private static FileLock tryLock(FileChannel lockChannel, Path directory) throws IOException {
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      throw new IOException("log directory " + directory + " is already open in another log");
    }
    return lock;
  }

  @Override
  public long append(LogRecord.Kind kind, String topic, String publisherName, long publisherSequence,
      String sowKey, String correlationId, byte[] payload) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(publisherName, "publisherName");
    Objects.requireNonNull(payload, "payload");
    if (closed.get()) {
      throw new IllegalStateException("log " + config.directory() + " is closed");
    }
    long size = LogFormat.encodedSize(topic, publisherName, sowKey, correlationId, payload.length);
    if (size > config.segmentBytes() - LogFormat.HEADER_BYTES) {
      throw new IllegalArgumentException("record of " + size + " bytes does not fit in a segment of "
          + config.segmentBytes() + " bytes (topic " + topic + ")");
    }
    long sequence = lastSequence + 1;
    long timestamp = Math.max(nowMicros(), lastTimestampMicros);
    LogRecord record = new LogRecord(sequence, timestamp, kind, topic, publisherName, publisherSequence, sowKey,
        correlationId, payload);
    try {
      queue.put(record);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for room in the log queue; record not appended", e);
    }
    lastTimestampMicros = timestamp;
    lastSequence = sequence;
    return sequence;
  }

  @Override
  public void setDurabilityListener(DurabilityListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  @Override
  public long durableSequence() {
    return durableSequence;
  }

  @Override
  public long firstSequence() {
    for (Segment segment : segments) {
      if (!segment.isEmpty()) {
        return segment.firstRecordSequence();
      }
    }
    return 0;
  }

  @Override
  public long lastSequence() {
    return lastSequence;
  }

  @Override
  public long lastPublisherSequence(String publisherName) {
    Objects.requireNonNull(publisherName, "publisherName");
    return publisherSequences.getOrDefault(publisherName, 0L);
  }

  @Override
  public LogReader openReader(long afterSequence) {
    if (afterSequence < 0) {
      throw new IllegalArgumentException("afterSequence must be >= 0 but was " + afterSequence);
    }
    return new FileLogReader(() -> segments, channels, afterSequence);
  }

  @Override
  public long sequenceAtOrAfter(Instant timestamp) throws IOException {
    long micros = toMicros(Objects.requireNonNull(timestamp, "timestamp"));
    for (Segment segment : segments) {
      if (!segment.isEmpty() && segment.maxTimestampMicros() >= micros) {
        long found = scanForTimestamp(segment, micros);
        if (found > 0) {
          return found;
        }
      }
    }
    return durableSequence + 1;
  }

  private long scanForTimestamp(Segment segment, long micros) throws IOException {
    try (FileChannel channel = channels.open(segment.path(), Set.of(StandardOpenOption.READ))) {
      RecordCursor cursor = new RecordCursor();
      cursor.reset(channel, segment.path(), LogFormat.HEADER_BYTES);
      long limit = segment.durableBytes();
      while (true) {
        RecordCursor.Status status = cursor.next(limit);
        if (status == RecordCursor.Status.END) {
          return 0;
        }
        if (status != RecordCursor.Status.RECORD) {
          throw cursor.corruption();
        }
        if (cursor.record().timestampMicros() >= micros) {
          return cursor.record().sequence();
        }
      }
    } catch (java.nio.file.NoSuchFileException deletedByRetention) {
      return 0;
    }
  }

  /** Directory of the log. */
  public Path directory() {
    return config.directory();
  }

  /** The segment files currently retained, oldest first; a snapshot. */
  public List<Path> segmentFiles() {
    List<Path> files = new ArrayList<>();
    for (Segment segment : segments) {
      files.add(segment.path());
    }
    return files;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(STOP);
        writerThread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Could not release the lock of " + config.directory(), e);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private long nowMicros() {
    return toMicros(config.clock().instant());
  }

  private static long toMicros(Instant instant) {
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  private void notifyDurable(long sequence) {
    try {
      listener.onDurable(sequence);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "DurabilityListener.onDurable threw; ignored", e);
    }
  }

  private void notifyFailure(long from, long to, IOException cause) {
    try {
      listener.onFailure(from, to, cause);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "DurabilityListener.onFailure threw; ignored", e);
    }
  }

  /** The writer thread's state and loop. Every field is confined to the writer thread. */
  private final class Writer {
    private final CRC32C crc = new CRC32C();
    private final List<LogRecord> batch = new ArrayList<>();
    private final GatheringBuffer pending = new GatheringBuffer();
    private Segment active;
    private FileChannel activeChannel;
    /** End of the durable part of the active file; where the next write goes. */
    private long activeBytes;
    /** The active file may hold bytes past {@code activeBytes} from a failed write that could not be cut. */
    private boolean dirty;

    /** Opens the last segment for appending, or creates the first one. Runs on the opening thread. */
    void start(long nextSequenceFloor) throws IOException {
      List<Segment> list = segments;
      if (list.isEmpty()) {
        roll(nextSequenceFloor);
        return;
      }
      active = list.get(list.size() - 1);
      activeChannel = channels.open(active.path(), Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
      activeBytes = active.durableBytes();
      activeChannel.position(activeBytes);
    }

    void run() {
      boolean stopping = false;
      while (!stopping) {
        try {
          LogRecord first = queue.poll(IDLE_RETENTION_CHECK_MS, TimeUnit.MILLISECONDS);
          if (first != null) {
            batch.add(first);
            queue.drainTo(batch, config.maxBatchRecords() - 1);
            int stop = batch.indexOf(STOP);
            if (stop >= 0) {
              stopping = true;
              batch.subList(stop, batch.size()).clear();
            }
            writeBatch();
            batch.clear();
          }
          enforceRetention();
        } catch (InterruptedException e) {
          LOG.log(Level.WARNING, "Log writer interrupted; ignoring, close() stops it");
        } catch (RuntimeException e) {
          // Only retention can get here; writeBatch reports its own failures.
          LOG.log(Level.ERROR, "Log writer failed unexpectedly during retention", e);
          batch.clear();
        }
      }
      failLeftovers();
      closeActive();
    }

    private void writeBatch() {
      int i = 0;
      int n = batch.size();
      while (i < n) {
        int start = i;
        try {
          if (dirty) {
            cutBack();
          }
          if (activeBytes > LogFormat.HEADER_BYTES
              && activeBytes + LogFormat.encodedSize(batch.get(i)) > config.segmentBytes()) {
            roll(batch.get(i).sequence());
          }
          long written = 0;
          while (i < n) {
            LogRecord record = batch.get(i);
            int size = LogFormat.encodedSize(record);
            if (activeBytes + written + pending.pendingBytes() + size > config.segmentBytes()) {
              break;
            }
            if (pending.pendingBytes() + size > MAX_PENDING_BYTES) {
              written += pending.writeTo(activeChannel);
            }
            LogFormat.encode(record, pending.reserve(size), crc);
            i++;
          }
          if (i == start) {
            throw new IllegalStateException("record " + batch.get(i).sequence() + " fits in no segment");
          }
          written += pending.writeTo(activeChannel);
          if (config.fsyncPolicy() == FsyncPolicy.EVERY_BATCH) {
            activeChannel.force(false);
          }
          activeBytes += written;
          committed(start, i);
        } catch (IOException | RuntimeException e) {
          pending.discard();
          dirty = true;
          tryCutBack();
          failRest(start, e instanceof IOException io ? io : new IOException("log writer failed unexpectedly", e));
          return;
        }
      }
    }

    /** Publishes records {@code batch[from, to)} as durable, then tells the listener. */
    private void committed(int from, int to) {
      if (from == to) {
        return;
      }
      for (int k = from; k < to; k++) {
        LogRecord record = batch.get(k);
        Long previous = publisherSequences.get(record.publisherName());
        if (previous == null || previous < record.publisherSequence()) {
          publisherSequences.put(record.publisherName(), record.publisherSequence());
        }
      }
      LogRecord first = batch.get(from);
      LogRecord last = batch.get(to - 1);
      active.markDurable(first.sequence(), last.sequence(), first.timestampMicros(), last.timestampMicros(),
          activeBytes);
      durableSequence = last.sequence();
      notifyDurable(last.sequence());
    }

    private void failRest(int from, IOException cause) {
      if (from < batch.size()) {
        notifyFailure(batch.get(from).sequence(), batch.get(batch.size() - 1).sequence(), cause);
      }
    }

    /** Reports records appended after close() began, which no batch will ever carry. */
    private void failLeftovers() {
      batch.clear();
      queue.drainTo(batch);
      batch.remove(STOP);
      failRest(0, new ClosedChannelException());
      batch.clear();
    }

    private void tryCutBack() {
      try {
        cutBack();
      } catch (IOException e) {
        LOG.log(Level.WARNING, "Could not cut " + active.path() + " back to " + activeBytes
            + " bytes; will retry before the next write", e);
      }
    }

    /** Removes bytes of a failed write so they can never be mistaken for records. */
    private void cutBack() throws IOException {
      if (!activeChannel.isOpen()) {
        // An interrupt during I/O closes a FileChannel; reopen rather than fail every later batch.
        activeChannel = channels.open(active.path(), Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
      }
      activeChannel.truncate(activeBytes);
      activeChannel.position(activeBytes);
      dirty = false;
    }

    /** Creates the segment whose first record will be {@code baseSequence} and makes it active. */
    private void roll(long baseSequence) throws IOException {
      Path path = config.directory().resolve(LogFormat.fileName(baseSequence));
      FileChannel channel = channels.open(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.READ, StandardOpenOption.WRITE));
      try {
        ByteBuffer header = ByteBuffer.allocate(LogFormat.HEADER_BYTES);
        LogFormat.writeHeader(header, baseSequence, nowMicros(), crc);
        header.flip();
        while (header.hasRemaining()) {
          channel.write(header);
        }
        if (config.fsyncPolicy() == FsyncPolicy.EVERY_BATCH) {
          channel.force(true);
          syncDirectory();
        }
      } catch (IOException e) {
        channel.close();
        Files.deleteIfExists(path);
        throw e;
      }
      closeActive();
      List<Segment> list = new ArrayList<>(segments);
      active = new Segment(path, baseSequence, LogFormat.HEADER_BYTES);
      list.add(active);
      segments = List.copyOf(list);
      activeChannel = channel;
      activeBytes = LogFormat.HEADER_BYTES;
      dirty = false;
    }

    private void closeActive() {
      if (activeChannel == null) {
        return;
      }
      try {
        activeChannel.close();
      } catch (IOException e) {
        LOG.log(Level.WARNING, "Could not close " + active.path(), e);
      }
      activeChannel = null;
    }

    private void enforceRetention() {
      List<Segment> list = segments;
      long total = 0;
      for (Segment segment : list) {
        total += segment.durableBytes();
      }
      long ageLimit = config.retentionAgeMicros();
      long now = nowMicros();
      int drop = 0;
      while (drop < list.size() - 1) {
        Segment oldest = list.get(drop);
        boolean tooOld = oldest.isEmpty()
            || (ageLimit != Long.MAX_VALUE && now - oldest.maxTimestampMicros() > ageLimit);
        if (!tooOld && total <= config.retentionBytes()) {
          break;
        }
        total -= oldest.durableBytes();
        drop++;
      }
      if (drop == 0) {
        return;
      }
      segments = List.copyOf(list.subList(drop, list.size()));
      for (Segment segment : list.subList(0, drop)) {
        try {
          Files.deleteIfExists(segment.path());
          LOG.log(Level.DEBUG, "Retention deleted {0}", segment);
        } catch (IOException e) {
          LOG.log(Level.WARNING, "Retention could not delete " + segment.path(), e);
        }
      }
    }

    /** Makes a new file's directory entry durable; not every platform can open a directory. */
    private void syncDirectory() {
      try (FileChannel directory = FileChannel.open(config.directory(), StandardOpenOption.READ)) {
        directory.force(true);
      } catch (IOException e) {
        LOG.log(Level.DEBUG, "Could not fsync directory " + config.directory(), e);
      }
    }
  }
}
