package dev.farad.client;

import dev.farad.client.exceptions.FaradException;

/**
 * A subscription the broker refused to take back after a reconnect, as passed to {@link
 * FailedResubscribeHandler}.
 *
 * <p>Immutable apart from {@code command}, which is a copy the receiver may keep.
 *
 * @param subId the subscription id
 * @param command the subscription as it was re-entered
 * @param handler the subscription's message handler
 * @param failure the broker's refusal (a {@link dev.farad.client.exceptions.CommandException})
 */
public record FailedResubscribe(CommandId subId, Command command, MessageHandler handler,
        FaradException failure) {}
