package dev.farad.client;

/**
 * The counts a {@code stats} acknowledgement carries for a query or a delete; a count the broker
 * did not send is {@code -1}.
 *
 * <p>Immutable; thread-safe.
 *
 * @param matches records that matched the filter
 * @param topicMatches records examined
 * @param recordsReturned records sent back by a query
 * @param recordsDeleted records removed by a {@code sow_delete}
 */
public record Stats(long matches, long topicMatches, long recordsReturned, long recordsDeleted) {}
