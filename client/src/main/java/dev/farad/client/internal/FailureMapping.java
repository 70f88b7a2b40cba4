package dev.farad.client.internal;

import dev.farad.client.exceptions.AuthenticationException;
import dev.farad.client.exceptions.BadFilterException;
import dev.farad.client.exceptions.BadRegexTopicException;
import dev.farad.client.exceptions.BadSowKeyException;
import dev.farad.client.exceptions.CommandException;
import dev.farad.client.exceptions.DuplicateLogonException;
import dev.farad.client.exceptions.FaradException;
import dev.farad.client.exceptions.InvalidBookmarkException;
import dev.farad.client.exceptions.InvalidOptionsException;
import dev.farad.client.exceptions.InvalidOrderByException;
import dev.farad.client.exceptions.InvalidSubIdException;
import dev.farad.client.exceptions.InvalidTopicException;
import dev.farad.client.exceptions.LogonRequiredException;
import dev.farad.client.exceptions.MissingFieldsException;
import dev.farad.client.exceptions.NameInUseException;
import dev.farad.client.exceptions.NotEntitledException;
import dev.farad.client.exceptions.PublishException;
import dev.farad.client.exceptions.SubidInUseException;
import dev.farad.client.exceptions.SubscriptionAlreadyExistsException;
import dev.farad.protocol.Reason;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one table from failure reasons (the {@code reason} header of a failure ack) to exception
 * types, following the error-handling chapter. Reasons not in the table become a plain {@link
 * CommandException}.
 *
 * <p>Stateless; thread-safe.
 */
public final class FailureMapping {
    private FailureMapping() {}

    /** Makes an exception from a message, the reason and the command id. */
    @FunctionalInterface
    interface Factory {
        FaradException create(String message, String reason, String commandId);
    }

    private static final Map<String, Factory> TABLE;

    static {
        Map<String, Factory> t = new LinkedHashMap<>();
        t.put(Reason.AUTH_FAILURE, (m, r, c) -> new AuthenticationException(m, r, null));
        t.put(Reason.BAD_FILTER, BadFilterException::new);
        t.put(Reason.BAD_SOW_KEY, BadSowKeyException::new);
        t.put(Reason.BAD_REGEX_TOPIC, BadRegexTopicException::new);
        t.put("regex topic not supported", BadRegexTopicException::new);
        t.put(Reason.DUPLICATE_LOGON, DuplicateLogonException::new);
        t.put(Reason.INVALID_BOOKMARK, InvalidBookmarkException::new);
        t.put(Reason.INVALID_OPTIONS, InvalidOptionsException::new);
        t.put(Reason.INVALID_ORDER_BY, InvalidOrderByException::new);
        t.put(Reason.INVALID_SUBID, InvalidSubIdException::new);
        t.put(Reason.INVALID_TOPIC, InvalidTopicException::new);
        t.put("invalid topic or filter", InvalidTopicException::new);
        t.put(Reason.LOGON_REQUIRED, LogonRequiredException::new);
        t.put(Reason.NAME_IN_USE, (m, r, c) -> new NameInUseException(m, r, null));
        t.put(Reason.NOT_ENTITLED, (m, r, c) -> new NotEntitledException(m, r, null));
        t.put(Reason.NO_FILTER_OR_BOOKMARK, MissingFieldsException::new);
        t.put(Reason.NO_CLIENT_NAME, MissingFieldsException::new);
        t.put(Reason.NO_TOPIC_OR_FILTER, MissingFieldsException::new);
        t.put(Reason.NO_TOPIC, MissingFieldsException::new);
        t.put("orderby required", MissingFieldsException::new);
        t.put(Reason.SUBID_IN_USE, SubidInUseException::new);
        t.put(Reason.SOW_STORE_FAILED, PublishException::new);
        t.put(Reason.TX_STORE_FAILURE, PublishException::new);
        t.put(Reason.SUBSCRIPTION_ALREADY_EXISTS, SubscriptionAlreadyExistsException::new);
        TABLE = Collections.unmodifiableMap(t);
    }

    /**
     * The table key of a reason: the reason itself, or its part before {@code ": "} when the broker
     * added detail ({@code "bad filter: unexpected ')' at 7"}).
     */
    static String key(String reason) {
        if (TABLE.containsKey(reason)) {
            return reason;
        }
        int colon = reason.indexOf(':');
        return colon < 0 ? reason : reason.substring(0, colon).trim();
    }

    /** The reasons that map to something more specific than {@link CommandException}. */
    public static Map<String, ?> table() {
        return TABLE;
    }

    /**
     * The exception for a failure acknowledgement.
     *
     * @param command the command that failed, e.g. {@code subscribe}
     * @param topic its topic, or {@code null}
     * @param commandId its command id, or {@code null}
     * @param reason the ack's reason, or {@code null}
     */
    public static FaradException exceptionFor(String command, String topic, String commandId,
            String reason) {
        StringBuilder m = new StringBuilder(command);
        if (topic != null) {
            m.append(" of topic '").append(topic).append('\'');
        }
        if (commandId != null) {
            m.append(" (command id ").append(commandId).append(')');
        }
        Factory f = reason == null ? null : TABLE.get(key(reason));
        if (f == null) {
            m.append(" failed: error from server while processing this command: '").append(reason)
                    .append('\'');
            return new CommandException(m.toString(), reason, commandId);
        }
        m.append(" failed: ").append(reason);
        return f.create(m.toString(), reason, commandId);
    }
}
