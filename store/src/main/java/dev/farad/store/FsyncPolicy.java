package dev.farad.store;

/**
 * When the log's writer thread forces written records to stable storage, and therefore what
 * "durable" means in {@link DurabilityListener#onDurable}.
 *
 * <p>Immutable; thread-safe.
 */
public enum FsyncPolicy {
  /**
   * Group commit: after writing each batch the writer calls {@code FileChannel.force} once and only
   * then reports the batch durable. Survives power loss. The default.
   */
  EVERY_BATCH,
  /**
   * Never force; a batch is reported durable as soon as the operating system accepted the write.
   * Survives a crash of the process but not of the machine. For tests and benchmarks only.
   */
  NEVER
}
