package dev.farad.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SowStoreTest {
  private final SowStore sow = new SowStore();

  private static byte[] data(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void shouldInsertReplaceAndReturnThePreviousRecord() {
    assertThat(sow.put("orders", "k1", data("v1"), 1, SowStore.NEVER_EXPIRES)).isNull();
    SowRecord previous = sow.put("orders", "k1", data("v2"), 2, SowStore.NEVER_EXPIRES);

    assertThat(previous).isEqualTo(new SowRecord("orders", "k1", data("v1"), 1, 0));
    assertThat(sow.get("orders", "k1").data()).isEqualTo(data("v2"));
    assertThat(sow.get("orders", "k1").sequence()).isEqualTo(2);
    assertThat(sow.size("orders")).isEqualTo(1);
    assertThat(sow.size()).isEqualTo(1);
  }

  @Test
  void shouldKeepTopicsApart() {
    sow.put("orders", "k", data("o"), 1, 0);
    sow.put("trades", "k", data("t"), 2, 0);
    sow.put("trades", "k2", data("t2"), 3, 0);

    assertThat(sow.get("orders", "k").data()).isEqualTo(data("o"));
    assertThat(sow.records("trades")).extracting(SowRecord::key).containsExactlyInAnyOrder("k", "k2");
    assertThat(sow.records("unknown")).isEmpty();
    assertThat(sow.size("unknown")).isZero();
    assertThat(sow.topics()).containsExactlyInAnyOrder("orders", "trades");
    assertThat(sow.get("unknown", "k")).isNull();
  }

  @Test
  void shouldRemoveByKeyAndByFilter() {
    for (int i = 0; i < 10; i++) {
      sow.put("orders", "k" + i, data("v" + i), i + 1, 0);
    }
    assertThat(sow.remove("orders", "k0").key()).isEqualTo("k0");
    assertThat(sow.remove("orders", "k0")).isNull();
    assertThat(sow.remove("unknown", "k0")).isNull();

    List<String> removed = new ArrayList<>();
    int count = sow.removeIf("orders", r -> r.sequence() % 2 == 0, r -> removed.add(r.key()));

    assertThat(count).isEqualTo(5);
    assertThat(removed).containsExactlyInAnyOrder("k1", "k3", "k5", "k7", "k9");
    assertThat(sow.size("orders")).isEqualTo(4);
    assertThat(sow.size()).isEqualTo(4);
  }

  @Test
  void shouldExpireDueRecordsOnlyOnceAndNotTheirReplacements() {
    sow.put("orders", "a", data("a"), 1, 100);
    sow.put("orders", "b", data("b"), 2, 200);
    sow.put("orders", "c", data("c"), 3, SowStore.NEVER_EXPIRES);
    sow.put("orders", "a", data("a2"), 4, 300);

    List<SowRecord> expired = new ArrayList<>();
    assertThat(sow.expire(150, expired::add)).isZero();
    assertThat(sow.expire(250, expired::add)).isEqualTo(1);
    assertThat(expired).extracting(SowRecord::key).containsExactly("b");

    sow.remove("orders", "a");
    assertThat(sow.expire(1_000, expired::add)).isZero();
    assertThat(sow.records("orders")).extracting(SowRecord::key).containsExactly("c");
    assertThat(sow.size()).isEqualTo(1);
  }

  @Test
  void shouldStayCorrectWhenManyExpiringRecordsAreReplaced() {
    for (int i = 0; i < 10_000; i++) {
      sow.put("orders", "k" + (i % 10), data("v"), i + 1, 1_000 + i);
    }
    List<SowRecord> expired = new ArrayList<>();
    assertThat(sow.expire(Long.MAX_VALUE, expired::add)).isEqualTo(10);
    assertThat(expired).extracting(SowRecord::sequence).allMatch(s -> s > 9_990);
    assertThat(sow.size()).isZero();
  }
}
