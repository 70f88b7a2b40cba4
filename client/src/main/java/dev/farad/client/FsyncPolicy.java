package dev.farad.client;

/**
 * When a file-backed store forces its writes to the disk.
 *
 * <p>Thread-safe (an enum).
 */
public enum FsyncPolicy {
    /**
     * Force after every append: what the store holds survives a crash of the machine. Each publish
     * then costs an fsync.
     */
    ALWAYS,
    /**
     * Leave flushing to the operating system: what the store holds survives a crash or kill of the
     * client process, not of the machine.
     */
    NEVER
}
