package dev.farad.store;

/**
 * A bookmark string is none of the forms {@link Bookmarks} understands. A programming or client input
 * error, so it is an {@link IllegalArgumentException}. Immutable; thread-safe.
 */
public final class InvalidBookmarkFormatException extends IllegalArgumentException {
  private static final int MAX_ECHO = 64;

  private final String bookmark;

  /**
   * Creates the exception.
   *
   * @param bookmark the text that failed to parse (echoed in the message, cut to 64 characters)
   * @param problem what is wrong with it
   */
  public InvalidBookmarkFormatException(String bookmark, String problem) {
    super("invalid bookmark '" + echo(bookmark) + "': " + problem + "; expected EPOCH '0', NOW '0|1|', "
        + "'publisherHash|sequence|', a timestamp YYYYmmddTHHMMSS[Z] or a comma-separated list of these");
    this.bookmark = bookmark;
  }

  private static String echo(String bookmark) {
    return bookmark.length() <= MAX_ECHO ? bookmark : bookmark.substring(0, MAX_ECHO) + "...";
  }

  /** The text that failed to parse. */
  public String bookmark() {
    return bookmark;
  }
}
