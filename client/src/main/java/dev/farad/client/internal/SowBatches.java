package dev.farad.client.internal;

import dev.farad.client.Message;
import dev.farad.protocol.Command;
import dev.farad.protocol.Frame;
import dev.farad.protocol.Header;
import dev.farad.protocol.HeaderCodec;
import dev.farad.protocol.MalformedFrameException;
import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;

/**
 * Splits a {@code sow} batch into one {@link Message} per record. A batch's payload is a run of
 * record headers ({@code k}, {@code l}, optional {@code t} and {@code x}), each followed by {@code
 * l} bytes of data; each message gets the batch's ids and the record's key, topic and data.
 *
 * <p>Stateless; called on the receive thread.
 */
public final class SowBatches {
    private SowBatches() {}

    /**
     * Calls {@code each} for every record of {@code batch}, in order.
     *
     * @throws MalformedFrameException if a record header or length does not fit the batch
     */
    public static void forEachRecord(Frame batch, Consumer<Message> each) {
        Header outer = batch.header();
        ByteBuf p = batch.payload();
        int at = p.readerIndex();
        int end = p.writerIndex();
        while (at < end) {
            Header rec = new Header();
            int dataStart = HeaderCodec.decode(p, at, end, end - at, rec);
            long len = rec.messageLength();
            if (len < 0 || dataStart + len > end) {
                throw new MalformedFrameException("sow record length " + len + " does not fit the batch", at);
            }
            byte[] data = new byte[(int) len];
            p.getBytes(dataStart, data);
            Header h = new Header().command(Command.SOW).commandId(outer.commandId()).subId(outer.subId())
                    .queryId(outer.queryId()).topic(rec.topic() != null ? rec.topic() : outer.topic())
                    .sowKey(rec.sowKey()).correlationId(rec.correlationId()).bookmark(rec.bookmark());
            each.accept(Messages.from(h, data));
            at = dataStart + (int) len;
        }
    }
}
