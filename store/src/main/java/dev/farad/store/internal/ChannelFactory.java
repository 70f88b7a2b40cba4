package dev.farad.store.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * Opens the files of a log. The seam through which tests inject channels that fail (for example with
 * "No space left on device") or count {@code force} calls. Implementations must be thread-safe: the
 * writer thread and reader threads open files concurrently.
 */
@FunctionalInterface
public interface ChannelFactory {

  /** Opens files with {@link FileChannel#open(Path, Set, java.nio.file.attribute.FileAttribute[])}. */
  ChannelFactory DEFAULT = (path, options) -> FileChannel.open(path, options);

  /**
   * Opens {@code path} with {@code options}.
   *
   * @throws IOException if the file cannot be opened
   */
  FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException;
}
