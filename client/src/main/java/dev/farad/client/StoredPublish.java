package dev.farad.client;

/**
 * One write held by a {@link PublishStore} until the broker reports it persisted.
 *
 * <p>Immutable apart from {@code data}; the store owns the array.
 *
 * @param sequence the publisher sequence the store assigned
 * @param command {@code publish}, {@code delta_publish} or {@code sow_delete}
 * @param topic the topic
 * @param data the payload (for {@code sow_delete}: empty)
 * @param filter the filter of a {@code sow_delete}, or {@code null}
 * @param correlationId the correlation id, or {@code null}
 * @param expiration the expiration in seconds, or {@code -1}
 */
public record StoredPublish(long sequence, String command, String topic, byte[] data,
        String filter, String correlationId, long expiration) {}
