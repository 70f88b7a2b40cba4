package dev.farad.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SowStoreTest {
  private long sequence;

  private SowRecord record(String key, String json) {
    return new SowRecord(key, json.getBytes(UTF_8), ++sequence, SowRecord.NEVER, null);
  }

  private static List<String> keys(SowStore store) {
    return store.records().stream().map(SowRecord::key).toList();
  }

  @Test
  void shouldReplaceARecordInPlaceAndReturnTheOneItReplaced() {
    SowStore store = new SowStore();
    SowRecord first = record("a", "{\"v\":1}");
    assertThat(store.put(first)).isNull();
    store.put(record("b", "{\"v\":2}"));

    SowRecord update = record("a", "{\"v\":3}");
    assertThat(store.put(update)).isSameAs(first);

    assertThat(store.get("a")).isSameAs(update);
    assertThat(store.size()).isEqualTo(2);
    assertThat(keys(store)).as("an update keeps its key's first-insert place").containsExactly("a", "b");
  }

  @Test
  void shouldMoveAKeyStoredAgainAfterRemovalToTheEnd() {
    SowStore store = new SowStore();
    SowRecord a = record("a", "{}");
    store.put(a);
    store.put(record("b", "{}"));

    assertThat(store.remove("a")).isSameAs(a);
    assertThat(store.remove("a")).isNull();
    assertThat(store.containsKey("a")).isFalse();
    store.put(record("a", "{}"));

    assertThat(keys(store)).containsExactly("b", "a");
  }

  @Test
  void shouldTellWhetherAHeldRecordIsStillTheStoredOne() {
    SowStore store = new SowStore();
    SowRecord old = record("k", "{\"v\":1}");
    store.put(old);
    assertThat(store.isCurrent(old)).isTrue();

    SowRecord replacement = record("k", "{\"v\":2}");
    store.put(replacement);
    assertThat(store.isCurrent(old)).isFalse();
    assertThat(store.isCurrent(replacement)).isTrue();

    store.remove("k");
    assertThat(store.isCurrent(replacement)).isFalse();
    assertThat(store.isCurrent(record("never-stored", "{}"))).isFalse();
  }

  @Test
  void shouldTakeAnUpdateInPlaceAndReuseTheArrayWhenTheLengthMatches() {
    SowStore store = new SowStore();
    byte[] first = "..{\"v\":1}..".getBytes(UTF_8);
    SowRecord stored = store.putInPlace("a", first, 2, 7, 1, SowRecord.NEVER, null);
    store.put(record("b", "{}"));
    assertThat(new String(stored.data(), UTF_8)).isEqualTo("{\"v\":1}");
    byte[] array = stored.data();

    byte[] sameLength = "{\"v\":2}".getBytes(UTF_8);
    assertThat(store.putInPlace("a", sameLength, 0, 7, 5, 99L, "c1")).isSameAs(stored);
    assertThat(stored.data()).isSameAs(array).isNotSameAs(sameLength).isEqualTo(sameLength);
    assertThat(stored.sequence()).isEqualTo(5);
    assertThat(stored.expiresAtNanos()).isEqualTo(99L);
    assertThat(stored.correlationId()).isEqualTo("c1");
    assertThat(store.isCurrent(stored)).isTrue();

    byte[] longer = "{\"v\":300}".getBytes(UTF_8);
    assertThat(store.putInPlace("a", longer, 0, longer.length, 6, SowRecord.NEVER, null)).isSameAs(stored);
    assertThat(stored.data()).isNotSameAs(array).isNotSameAs(longer).isEqualTo(longer);
    assertThat(stored.correlationId()).isNull();
    assertThat(keys(store)).as("an update keeps its key's first-insert place").containsExactly("a", "b");
  }

  @Test
  void shouldRefuseAnInPlaceUpdateOutsideTheMessageAndLeaveTheRecord() {
    SowStore store = new SowStore();
    SowRecord stored = store.putInPlace("a", "{}".getBytes(UTF_8), 0, 2, 1, SowRecord.NEVER, null);

    assertThatThrownBy(() -> store.putInPlace("a", new byte[4], 3, 2, 2, SowRecord.NEVER, null))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(stored.sequence()).isEqualTo(1);
    assertThat(new String(stored.data(), UTF_8)).isEqualTo("{}");
  }

  @Test
  void shouldOfferOnlyAReadOnlyViewThatFollowsTheStore() {
    SowStore store = new SowStore();
    var view = store.records();
    store.put(record("a", "{}"));

    assertThat(view).hasSize(1);
    assertThatThrownBy(view::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> view.iterator().remove()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void shouldRejectARecordWithoutKeyOrData() {
    assertThatThrownBy(() -> new SowRecord(null, new byte[0], 1, SowRecord.NEVER, null))
        .isInstanceOf(NullPointerException.class).hasMessage("key");
    assertThatThrownBy(() -> new SowRecord("k", null, 1, SowRecord.NEVER, null))
        .isInstanceOf(NullPointerException.class).hasMessage("data");
    assertThat(record("k", "{\"secret\":1}").toString()).doesNotContain("secret").contains("12 bytes");
  }

  @Test
  void shouldAgreeWithAnOrderedMapOverRandomOperations() {
    // A reference model for the day the store gets its own table: same answers, same order.
    Random random = new Random(4);
    SowStore store = new SowStore();
    Map<String, SowRecord> model = new LinkedHashMap<>();
    for (int i = 0; i < 20_000; i++) {
      String key = "k" + random.nextInt(500);
      int op = random.nextInt(6);
      if (op == 0) {
        assertThat(store.remove(key)).isSameAs(model.remove(key));
      } else if (op == 1) {
        byte[] message = ("{\"n\":" + random.nextInt(20) + "}").getBytes(UTF_8);
        SowRecord held = model.get(key);
        SowRecord stored = store.putInPlace(key, message, 0, message.length, ++sequence, SowRecord.NEVER, null);
        if (held != null) {
          assertThat(stored).as("an existing record takes the update").isSameAs(held);
        }
        model.put(key, stored);
        assertThat(stored.data()).isEqualTo(message);
      } else {
        SowRecord r = record(key, "{}");
        assertThat(store.put(r)).isSameAs(model.put(key, r));
      }
      assertThat(store.get(key)).isSameAs(model.get(key));
    }
    assertThat(store.size()).isEqualTo(model.size());
    assertThat(new ArrayList<>(store.records())).containsExactlyElementsOf(model.values());
  }
}
