package dev.farad.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class GatheringBufferTest {

  @Test
  void shouldWriteReservedBytesInOrderAcrossChunksAndOversizedRecords(@TempDir Path dir) throws IOException {
    GatheringBuffer buffer = new GatheringBuffer();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    int[] sizes = {1000, GatheringBuffer.CHUNK_BYTES - 500, 700, GatheringBuffer.CHUNK_BYTES * 2 + 3, 10};
    for (int r = 0; r < 2; r++) {
      try (FileChannel channel = FileChannel.open(dir.resolve("f" + r), StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        expected.reset();
        for (int i = 0; i < sizes.length; i++) {
          byte[] record = new byte[sizes[i]];
          java.util.Arrays.fill(record, (byte) (i + r));
          ByteBuffer target = buffer.reserve(record.length);
          assertThat(target.remaining()).isGreaterThanOrEqualTo(record.length);
          target.put(record);
          expected.write(record);
        }
        assertThat(buffer.pendingBytes()).isEqualTo(expected.size());

        assertThat(buffer.writeTo(channel)).isEqualTo(expected.size());
        assertThat(buffer.pendingBytes()).isZero();
      }
      assertThat(Files.readAllBytes(dir.resolve("f" + r))).isEqualTo(expected.toByteArray());
    }
  }
}
