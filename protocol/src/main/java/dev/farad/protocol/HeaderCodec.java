package dev.farad.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes frame headers: flat JSON objects such as {@code {"c":"p","t":"orders"}}.
 *
 * <p>Decoding is a single forward scan over the buffer that sets {@link Header} fields directly:
 * keys are matched as bytes against the known field names (long and short forms), command names
 * are matched without creating strings, and unknown keys are skipped so that newer peers can add
 * fields. No general JSON tree is built. Values must be strings, numbers, booleans or {@code null};
 * a nested object or array is malformed.
 *
 * <p>Encoding writes the short keys, in a fixed order, and escapes strings as JSON requires.
 *
 * <p>Stateless; thread-safe.
 */
public final class HeaderCodec {
    private HeaderCodec() {}

    /**
     * Decodes the header that starts at {@code start}.
     *
     * @param buf the buffer; its indices are not changed
     * @param start index of the opening brace
     * @param end index one past the last byte of the frame
     * @param maxHeaderBytes the header must close within this many bytes
     * @param into the header to fill
     * @return the index one past the closing brace, where the payload starts
     * @throws MalformedFrameException when the header is not a flat JSON object
     * @throws FrameTooLongException when the header does not close within {@code maxHeaderBytes}
     */
    public static int decode(ByteBuf buf, int start, int end, int maxHeaderBytes, Header into) {
        int limit = end - start <= maxHeaderBytes ? end : start + maxHeaderBytes;
        return new Reader(buf, start, limit, end, maxHeaderBytes)
                .readObject(into);
    }

    /** Per decoding thread: the copy window, and the last value of each repeating field. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        /** Header bytes are copied here and scanned as an array: no bounds and reference-count checks per byte. */
        final byte[] window = new byte[Reader.FIRST_WINDOW];
        /**
         * The last String decoded for each {@link HeaderField#repeats() repeating} field, reused when
         * the same bytes come again: no allocation, and its hash code is already computed for the
         * lookups (subscription id to handler) that follow.
         */
        final String[] last = new String[HeaderField.values().length];
    }

    /** Writes {@code h} as a JSON object with short keys. */
    public static void encode(Header h, ByteBuf out) {
        out.writeByte('{');
        boolean first = true;
        if (h.commandName() != null) {
            first = writeString(out, first, HeaderField.COMMAND, h.commandName());
        }
        first = writeString(out, first, HeaderField.COMMAND_ID, h.commandId());
        first = writeString(out, first, HeaderField.TOPIC, h.topic());
        first = writeString(out, first, HeaderField.FILTER, h.filter());
        first = writeString(out, first, HeaderField.OPTIONS, h.options());
        String acks = h.ackType() != null ? h.ackType().wireName() : AckType.formatMask(h.ackTypes());
        first = writeString(out, first, HeaderField.ACK_TYPE, acks);
        first = writeString(out, first, HeaderField.SUB_ID, h.subId());
        first = writeString(out, first, HeaderField.SUB_IDS, h.subIds());
        first = writeString(out, first, HeaderField.QUERY_ID, h.queryId());
        first = writeNumber(out, first, HeaderField.SEQUENCE, h.sequence());
        first = writeString(out, first, HeaderField.BOOKMARK, h.bookmark());
        first = writeString(out, first, HeaderField.SOW_KEY, h.sowKey());
        first = writeString(out, first, HeaderField.SOW_KEYS, h.sowKeys());
        first = writeString(out, first, HeaderField.CORRELATION_ID, h.correlationId());
        first = writeNumber(out, first, HeaderField.EXPIRATION, h.expiration());
        first = writeNumber(out, first, HeaderField.BATCH_SIZE, h.batchSize());
        first = writeNumber(out, first, HeaderField.TOP_N, h.topN());
        first = writeString(out, first, HeaderField.ORDER_BY, h.orderBy());
        first = writeNumber(out, first, HeaderField.MESSAGE_LENGTH, h.messageLength());
        first = writeString(out, first, HeaderField.TIMESTAMP, h.timestamp());
        first = writeString(out, first, HeaderField.STATUS, h.status());
        first = writeString(out, first, HeaderField.REASON, h.reason());
        first = writeString(out, first, HeaderField.CLIENT_NAME, h.clientName());
        first = writeString(out, first, HeaderField.USER_ID, h.userId());
        first = writeString(out, first, HeaderField.PASSWORD, h.password());
        first = writeString(out, first, HeaderField.VERSION, h.version());
        first = writeString(out, first, HeaderField.MESSAGE_TYPE, h.messageType());
        first = writeNumber(out, first, HeaderField.MATCHES, h.matches());
        first = writeNumber(out, first, HeaderField.TOPIC_MATCHES, h.topicMatches());
        first = writeNumber(out, first, HeaderField.RECORDS_RETURNED, h.recordsReturned());
        first = writeNumber(out, first, HeaderField.RECORDS_DELETED, h.recordsDeleted());
        first = writeNumber(out, first, HeaderField.RECORDS_INSERTED, h.recordsInserted());
        writeNumber(out, first, HeaderField.RECORDS_UPDATED, h.recordsUpdated());
        out.writeByte('}');
    }

    private static boolean writeString(ByteBuf out, boolean first, HeaderField f, String value) {
        if (value == null) {
            return first;
        }
        writeKey(out, first, f);
        writeJsonString(out, value);
        return false;
    }

    private static boolean writeNumber(ByteBuf out, boolean first, HeaderField f, long value) {
        if (value == Header.ABSENT) {
            return first;
        }
        writeKey(out, first, f);
        writeLong(out, value);
        return false;
    }

    private static void writeKey(ByteBuf out, boolean first, HeaderField f) {
        if (!first) {
            out.writeByte(',');
        }
        out.writeBytes(f.quotedKeyColon());
    }

    /** Writes {@code s} as a quoted JSON string (UTF-8, escaping quotes, backslashes, controls). */
    public static void writeJsonString(ByteBuf out, String s) {
        out.writeByte('"');
        int n = s.length();
        int plainFrom = 0;
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (ch == '"' || ch == '\\' || ch < 0x20) {
                if (i > plainFrom) {
                    out.writeCharSequence(s.subSequence(plainFrom, i), StandardCharsets.UTF_8);
                }
                writeEscape(out, ch);
                plainFrom = i + 1;
            }
        }
        if (plainFrom == 0) {
            out.writeCharSequence(s, StandardCharsets.UTF_8);
        } else if (plainFrom < n) {
            out.writeCharSequence(s.subSequence(plainFrom, n), StandardCharsets.UTF_8);
        }
        out.writeByte('"');
    }

    private static void writeEscape(ByteBuf out, char ch) {
        out.writeByte('\\');
        switch (ch) {
            case '"':
                out.writeByte('"');
                break;
            case '\\':
                out.writeByte('\\');
                break;
            case '\n':
                out.writeByte('n');
                break;
            case '\r':
                out.writeByte('r');
                break;
            case '\t':
                out.writeByte('t');
                break;
            default:
                out.writeByte('u').writeByte('0').writeByte('0');
                out.writeByte(HEX[(ch >> 4) & 0xF]).writeByte(HEX[ch & 0xF]);
        }
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    static void writeLong(ByteBuf out, long value) {
        if (value == 0) {
            out.writeByte('0');
            return;
        }
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                out.writeCharSequence(Long.toString(value), StandardCharsets.US_ASCII);
                return;
            }
            out.writeByte('-');
            value = -value;
        }
        int digits = 0;
        for (long v = value; v != 0; v /= 10) {
            digits++;
        }
        int at = out.writerIndex() + digits;
        out.ensureWritable(digits);
        for (long v = value; v != 0; v /= 10) {
            out.setByte(--at, (int) ('0' + v % 10));
        }
        out.writerIndex(out.writerIndex() + digits);
    }

    /** A forward-only scanner over one header. */
    private static final class Reader {
        /** Most headers fit: a longer one copies a larger window when the scan reaches this one's end. */
        static final int FIRST_WINDOW = 512;

        private final ByteBuf buf;
        private final int start;
        private final int limit;
        private final int frameEnd;
        private final int maxHeaderBytes;
        /** The header's bytes from {@code start}: {@code bytes[i - start]} is {@code buf} index {@code i}. */
        private byte[] bytes;
        /** One past the last buffer index copied into {@link #bytes}. */
        private int copiedTo;
        private final String[] lastValues;
        private int pos;

        Reader(ByteBuf buf, int start, int limit, int frameEnd, int maxHeaderBytes) {
            this.buf = buf;
            this.start = start;
            this.limit = limit;
            this.frameEnd = frameEnd;
            this.maxHeaderBytes = maxHeaderBytes;
            this.pos = start;
            Scratch scratch = SCRATCH.get();
            this.lastValues = scratch.last;
            copyWindow(scratch.window, Math.min(limit - start, scratch.window.length));
        }

        private void copyWindow(byte[] into, int length) {
            buf.getBytes(start, into, 0, length);
            bytes = into;
            copiedTo = start + length;
        }

        /** The byte at buffer index {@code i} ({@code i < limit}), copying more of the header when needed. */
        private int at(int i) {
            if (i >= copiedTo) {
                int length = Math.min(limit - start, Math.max(2 * bytes.length, i + 1 - start));
                copyWindow(new byte[length], length);
            }
            return bytes[i - start];
        }

        /** Makes sure everything before buffer index {@code to} is copied. */
        private void ensureCopied(int to) {
            if (to > copiedTo) {
                at(to - 1);
            }
        }

        private String text(int from, int length, java.nio.charset.Charset charset) {
            ensureCopied(from + length);
            return new String(bytes, from - start, length, charset);
        }

        int readObject(Header h) {
            skipWhitespace();
            expect('{', "'{' to open the header");
            skipWhitespace();
            if (peek("a key or '}'") == '}') {
                pos++;
                return pos;
            }
            while (true) {
                skipWhitespace();
                HeaderField field = readKey();
                skipWhitespace();
                expect(':', "':' after a key");
                skipWhitespace();
                readValue(field, h);
                skipWhitespace();
                int c = next("',' or '}'");
                if (c == '}') {
                    if (h.command() == Command.ACK && h.ackType() == null && h.ackTypes() != 0) {
                        h.ackType(AckType.list(h.ackTypes()).get(0));
                    }
                    return pos;
                }
                if (c != ',') {
                    throw malformed("expected ',' or '}' but found " + describe(c), pos - 1);
                }
            }
        }

        private HeaderField readKey() {
            expect('"', "'\"' to open a key");
            int keyStart = pos;
            while (true) {
                int c = next("the end of a key");
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    throw malformed("escapes are not allowed in header keys", pos - 1);
                }
            }
            return HeaderField.lookup(bytes, keyStart - start, pos - 1 - keyStart);
        }

        private void readValue(HeaderField field, Header h) {
            int c = peek("a value");
            if (c == '"') {
                if (field == HeaderField.COMMAND) {
                    readCommand(h);
                } else {
                    String s = field != null && field.repeats() ? readRepeatingString(field) : readString();
                    if (field != null) {
                        field.set(h, s, pos);
                    }
                }
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                int numStart = pos;
                long v = readNumber();
                if (field != null) {
                    field.setNumber(h, v, bytes, numStart - start, pos - numStart);
                }
            } else if (c == 't') {
                literal("true");
                if (field != null) {
                    field.set(h, "true", pos);
                }
            } else if (c == 'f') {
                literal("false");
                if (field != null) {
                    field.set(h, "false", pos);
                }
            } else if (c == 'n') {
                literal("null");
            } else if (c == '{' || c == '[') {
                throw malformed("header values must be strings, numbers, booleans or null, not "
                        + (c == '{' ? "an object" : "an array"), pos);
            } else {
                throw malformed("expected a value but found " + describe(c), pos);
            }
        }

        private void readCommand(Header h) {
            pos++;
            int s = pos;
            boolean plain = true;
            while (true) {
                int c = next("the end of a string");
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    plain = false;
                    pos++;
                }
            }
            int len = pos - 1 - s;
            if (plain) {
                for (Command cmd : COMMANDS) {
                    byte[] w = cmd.wireBytes();
                    if (w.length == len && HeaderField.sameBytes(bytes, s - start, w)) {
                        h.command(cmd);
                        return;
                    }
                }
            }
            pos = s - 1;
            h.commandName(readString());
        }

        /** Like {@link #readString()}, returning the field's last value when the bytes are the same. */
        private String readRepeatingString(HeaderField field) {
            String last = lastValues[field.ordinal()];
            int s = pos + 1;
            if (last != null && s + last.length() < limit) {
                // at() copies everything up to the closing quote, which sameLatin1 then reads.
                if (at(s + last.length()) == '"' && sameLatin1(s, last)) {
                    pos = s + last.length() + 1;
                    return last;
                }
            }
            String value = readString();
            lastValues[field.ordinal()] = value;
            return value;
        }

        /**
         * Whether the bytes at {@code from} are {@code value}'s characters; a value with characters
         * that a header writes escaped or as several bytes never matches (it is decoded afresh).
         */
        private boolean sameLatin1(int from, String value) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c >= 0x80 || c < 0x20 || c == '\\' || c == '"' || bytes[from + i - start] != c) {
                    return false;
                }
            }
            return true;
        }

        private String readString() {
            expect('"', "'\"'");
            int s = pos;
            boolean ascii = true;
            while (true) {
                int c = next("the end of a string");
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    pos = s;
                    return readEscapedString();
                }
                if (c >= 0x80) {
                    ascii = false;
                } else if (c < 0x20) {
                    throw malformed("control character " + describe(c) + " inside a string", pos - 1);
                }
            }
            int len = pos - 1 - s;
            return text(s, len, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        }

        private String readEscapedString() {
            StringBuilder sb = new StringBuilder();
            int runStart = pos;
            while (true) {
                int c = next("the end of a string");
                if (c == '"') {
                    appendUtf8(sb, runStart, pos - 1);
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw malformed("control character " + describe(c) + " inside a string", pos - 1);
                }
                if (c == '\\') {
                    appendUtf8(sb, runStart, pos - 1);
                    int e = next("an escape character");
                    switch (e) {
                        case '"':
                        case '\\':
                        case '/':
                            sb.append((char) e);
                            break;
                        case 'n':
                            sb.append('\n');
                            break;
                        case 't':
                            sb.append('\t');
                            break;
                        case 'r':
                            sb.append('\r');
                            break;
                        case 'b':
                            sb.append('\b');
                            break;
                        case 'f':
                            sb.append('\f');
                            break;
                        case 'u':
                            appendEscapedChar(sb);
                            break;
                        default:
                            throw malformed("unknown escape \\" + describe(e), pos - 1);
                    }
                    runStart = pos;
                }
            }
        }

        /**
         * Appends the character of a {@code \\uXXXX} escape (the {@code \\u} already read). A
         * surrogate must come as a high/low pair, as UTF-16 requires; a lone one could not be
         * written back as UTF-8, so the header would not survive a round trip.
         */
        private void appendEscapedChar(StringBuilder sb) {
            int at = pos - 2;
            char c = (char) readHex4();
            if (Character.isLowSurrogate(c)) {
                throw malformed("expected a high surrogate before \\u" + Integer.toHexString(c), at);
            }
            if (Character.isHighSurrogate(c)) {
                if (next("a low surrogate escape") != '\\' || next("a low surrogate escape") != 'u') {
                    throw malformed("expected a low surrogate escape after \\u" + Integer.toHexString(c), at);
                }
                char low = (char) readHex4();
                if (!Character.isLowSurrogate(low)) {
                    throw malformed("expected a low surrogate after \\u" + Integer.toHexString(c) + " but found \\u"
                            + Integer.toHexString(low), at);
                }
                sb.append(c).append(low);
                return;
            }
            sb.append(c);
        }

        private int readHex4() {
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int c = next("four hex digits");
                int d = Character.digit(c, 16);
                if (d < 0) {
                    throw malformed("expected a hex digit but found " + describe(c), pos - 1);
                }
                v = (v << 4) | d;
            }
            return v;
        }

        private void appendUtf8(StringBuilder sb, int from, int to) {
            if (to > from) {
                sb.append(text(from, to - from, StandardCharsets.UTF_8));
            }
        }

        private long readNumber() {
            boolean negative = false;
            if (peek("a number") == '-') {
                negative = true;
                pos++;
            }
            long v = 0;
            int digits = 0;
            while (pos < limit) {
                int c = at(pos);
                if (c < '0' || c > '9') {
                    break;
                }
                if (v > (Long.MAX_VALUE - (c - '0')) / 10) {
                    throw malformed("number out of range", pos);
                }
                v = v * 10 + (c - '0');
                digits++;
                pos++;
            }
            if (digits == 0) {
                throw malformed("expected a digit", pos);
            }
            if (pos < limit) {
                int c = at(pos);
                if (c == '.' || c == 'e' || c == 'E') {
                    throw malformed("header numbers must be integers", pos);
                }
            }
            return negative ? -v : v;
        }

        private void literal(String word) {
            for (int i = 0; i < word.length(); i++) {
                int c = next("'" + word + "'");
                if (c != word.charAt(i)) {
                    throw malformed("expected '" + word + "' but found " + describe(c), pos - 1);
                }
            }
        }

        private void skipWhitespace() {
            while (pos < limit) {
                int c = at(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        private void expect(char wanted, String what) {
            int c = next(what);
            if (c != wanted) {
                throw malformed("expected " + what + " but found " + describe(c), pos - 1);
            }
        }

        private int peek(String what) {
            if (pos >= limit) {
                throw endOfInput(what);
            }
            return at(pos) & 0xFF;
        }

        private int next(String what) {
            if (pos >= limit) {
                throw endOfInput(what);
            }
            return at(pos++) & 0xFF;
        }

        private ProtocolException endOfInput(String what) {
            if (limit < frameEnd) {
                return new FrameTooLongException("header", (long) frameEnd - start, maxHeaderBytes);
            }
            return malformed("frame ended while expecting " + what, pos);
        }

        private MalformedFrameException malformed(String message, int at) {
            return new MalformedFrameException("malformed header: " + message, at - start);
        }

        private static String describe(int c) {
            if (c >= 0x21 && c < 0x7F) {
                return "'" + (char) c + "'";
            }
            return String.format("byte 0x%02x", c);
        }
    }

    private static final Command[] COMMANDS = Command.values();
}
