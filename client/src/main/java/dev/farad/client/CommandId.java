package dev.farad.client;

import java.util.Objects;

/**
 * The id of a command the client sent: for a subscription, its subscription id (pass it to {@link
 * Client#unsubscribe(CommandId)}).
 *
 * <p>Immutable; thread-safe.
 *
 * @param value the id as it travels on the wire
 */
public record CommandId(String value) {
    public CommandId {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return value;
    }
}
