package dev.farad.client.internal;

import dev.farad.client.Message;
import dev.farad.client.Stats;
import dev.farad.protocol.AckType;
import dev.farad.protocol.Command;
import dev.farad.protocol.Frame;
import dev.farad.protocol.Header;

/**
 * Turns decoded frames into {@link Message} records.
 *
 * <p>Stateless; thread-safe.
 */
public final class Messages {
    private Messages() {}

    /** The message for {@code frame}, with its payload array (see {@link Frame#payloadArray()}); does not release the frame. */
    public static Message from(Frame frame) {
        return from(frame.header(), frame.payloadArray());
    }

    /** The message for a header and payload; {@code data} is kept, not copied. */
    public static Message from(Header h, byte[] data) {
        return new Message(longName(h), h.commandId(), h.topic(), h.subId(), h.queryId(), data,
                h.bookmark(), h.sowKey(), h.correlationId(), h.sequence() < 0 ? 0 : h.sequence(),
                ackTypeOf(h), h.status(), h.reason(), h.options(), h.clientName(), h.userId(),
                h.timestamp(), h.version(), statsOf(h));
    }

    private static Stats statsOf(Header h) {
        if (h.matches() < 0 && h.topicMatches() < 0 && h.recordsReturned() < 0 && h.recordsDeleted() < 0) {
            return null;
        }
        return new Stats(h.matches(), h.topicMatches(), h.recordsReturned(), h.recordsDeleted());
    }

    /** On an ack, which one it is (the decoder gives the {@code a} header as a mask); else {@code null}. */
    public static AckType ackTypeOf(Header h) {
        if (h.ackType() != null) {
            return h.ackType();
        }
        if (h.command() != Command.ACK || h.ackTypes() == 0) {
            return null;
        }
        return AckType.list(h.ackTypes()).get(0);
    }

    /** The long name of the header's command: {@code publish} for {@code p}. */
    public static String longName(Header h) {
        if (h.command() == Command.PUBLISH) {
            return "publish";
        }
        return h.command() == Command.UNKNOWN && h.commandName() != null ? h.commandName()
                : h.command().wireName();
    }
}
