package dev.farad.client;

/**
 * Remembers, per subscription id, which bookmarked messages a subscriber has received and
 * processed, so that a bookmark subscription resumes after a reconnect (or a restart) from the most
 * recent point with no gap, and redelivered messages are recognised as duplicates.
 *
 * <p>An {@link HAClient} with a store set uses it for every subscription that has a bookmark: a
 * bookmark of {@link #MOST_RECENT} is replaced by {@link #mostRecent(String)} when the subscription
 * is placed and whenever it is re-entered; each delivered message is checked with {@link
 * #isDiscarded} (a duplicate goes to the duplicate message handler, if set, instead of the
 * subscription's handler), else {@link #log logged}, handed to the handler, and {@link #discard
 * discarded} once the handler returns.
 *
 * <p>Bookmarks have the form {@code publisherHash|logSequence|}; the log sequence orders them. Use
 * a stable, explicit subscription id with a persistent store.
 *
 * <p>Implementations must be thread-safe.
 */
public interface BookmarkStore extends AutoCloseable {
    /** Replay the whole transaction log. */
    String EPOCH = "0";
    /** No replay: only what is published from now on. */
    String NOW = "0|1|";
    /** Resume from the store's most recent point ({@link #EPOCH} when it knows none). */
    String MOST_RECENT = "recent";

    /** Records that {@code bookmark} was delivered on {@code subId} and is being processed. */
    void log(String subId, String bookmark);

    /** Records that the subscriber is done with {@code bookmark}. */
    void discard(String subId, String bookmark);

    /** Whether {@code bookmark} on {@code subId} was already processed (discarded), so is a duplicate. */
    boolean isDiscarded(String subId, String bookmark);

    /**
     * The bookmark to resume {@code subId} from: the latest discarded bookmark before which nothing
     * is still being processed, or {@link #EPOCH} when the store knows none.
     */
    String mostRecent(String subId);

    /** Forgets {@code subId}. */
    void purge(String subId);

    /** Releases what the store holds open (files); the default does nothing. */
    @Override
    default void close() {
    }

    /**
     * The log sequence of a {@code hash|sequence|} bookmark, or {@code -1} for anything else
     * (special values, timestamps, lists).
     */
    static long sequenceOf(String bookmark) {
        if (bookmark == null) {
            return -1;
        }
        int first = bookmark.indexOf('|');
        int second = first < 0 ? -1 : bookmark.indexOf('|', first + 1);
        if (second < 0 || second != bookmark.length() - 1 || bookmark.indexOf(',') >= 0) {
            return -1;
        }
        try {
            return Long.parseLong(bookmark.substring(first + 1, second));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
