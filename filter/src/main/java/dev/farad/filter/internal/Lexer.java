package dev.farad.filter.internal;

import dev.farad.filter.FilterSyntaxException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a filter expression into tokens, one at a time, on demand of the parser.
 *
 * <p>A {@code /} starts a field path unless the previous token ended an operand (a path, literal,
 * {@code )}, {@code TRUE}, {@code FALSE} or {@code NULL}), in which case it is the division
 * operator. Not thread-safe; one instance per compilation.
 */
final class Lexer {

    enum Type {
        PATH, STRING, INTEGER, DECIMAL, WORD,
        LPAREN, RPAREN, COMMA,
        EQ, NE, LT, LE, GT, GE,
        PLUS, MINUS, STAR, SLASH, PERCENT,
        EOF
    }

    /**
     * One token; {@code value} is the UTF-8 {@code byte[]} of a string literal, the {@code Long} of
     * an integer, the {@code Double} of a decimal, the {@link PathSpec} of a path, else null.
     */
    record Token(Type type, int start, int end, Object value) {
    }

    private final String src;
    private int pos;
    private boolean afterOperand;

    Lexer(String src) {
        this.src = src;
    }

    /** Returns how a token is shown in an error message: quoted source text, or end of input. */
    String describe(Token t) {
        if (t.type() == Type.EOF) {
            return "end of input";
        }
        return t.type() == Type.STRING ? text(t) : "'" + text(t) + "'";
    }

    String text(Token t) {
        return src.substring(t.start(), t.end());
    }

    Token next() {
        while (pos < src.length() && isSpace(src.charAt(pos))) {
            pos++;
        }
        Token t = pos >= src.length() ? new Token(Type.EOF, pos, pos, null) : lex();
        afterOperand = switch (t.type()) {
            case PATH, STRING, INTEGER, DECIMAL, RPAREN -> true;
            case WORD -> isValueWord(text(t));
            default -> false;
        };
        return t;
    }

    private static boolean isValueWord(String w) {
        return w.equalsIgnoreCase("TRUE") || w.equalsIgnoreCase("FALSE") || w.equalsIgnoreCase("NULL");
    }

    private Token lex() {
        int start = pos;
        char c = src.charAt(pos);
        return switch (c) {
            case '(' -> single(Type.LPAREN);
            case ')' -> single(Type.RPAREN);
            case ',' -> single(Type.COMMA);
            case '+' -> single(Type.PLUS);
            case '-' -> single(Type.MINUS);
            case '*' -> single(Type.STAR);
            case '%' -> single(Type.PERCENT);
            case '=' -> twoIf('=', Type.EQ, Type.EQ);
            case '<' -> peekIs(1, '>') ? span(start, 2, Type.NE) : twoIf('=', Type.LE, Type.LT);
            case '>' -> twoIf('=', Type.GE, Type.GT);
            case '!' -> {
                if (!peekIs(1, '=')) {
                    throw error(start, "'!='", "'!'");
                }
                yield span(start, 2, Type.NE);
            }
            case '/' -> afterOperand ? single(Type.SLASH) : path();
            case '[' -> bracketedPath();
            case '\'', '"' -> string(start, c);
            default -> {
                if (isDigit(c) || (c == '.' && pos + 1 < src.length() && isDigit(src.charAt(pos + 1)))) {
                    yield number();
                }
                if (isWordStart(c)) {
                    yield word();
                }
                throw error(start, "an operator, literal, field path or keyword",
                        "'" + new String(Character.toChars(src.codePointAt(start))) + "'");
            }
        };
    }

    private Token single(Type type) {
        return span(pos, 1, type);
    }

    private Token twoIf(char second, Type two, Type one) {
        return peekIs(1, second) ? span(pos, 2, two) : span(pos, 1, one);
    }

    private Token span(int start, int length, Type type) {
        pos = start + length;
        return new Token(type, start, pos, null);
    }

    private boolean peekIs(int ahead, char c) {
        return pos + ahead < src.length() && src.charAt(pos + ahead) == c;
    }

    private Token word() {
        int start = pos;
        while (pos < src.length() && (isWordStart(src.charAt(pos)) || isDigit(src.charAt(pos)))) {
            pos++;
        }
        if (pos - start == 1 && (src.charAt(start) == 'r' || src.charAt(start) == 'R')
                && pos < src.length() && (src.charAt(pos) == '\'' || src.charAt(pos) == '"')) {
            return rawString(start, src.charAt(pos));
        }
        return new Token(Type.WORD, start, pos, null);
    }

    private Token number() {
        int start = pos;
        boolean decimal = false;
        digits();
        if (pos < src.length() && src.charAt(pos) == '.') {
            decimal = true;
            pos++;
            digits();
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int mark = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < src.length() && isDigit(src.charAt(pos))) {
                decimal = true;
                digits();
            } else {
                pos = mark;
            }
        }
        String text = src.substring(start, pos);
        if (!decimal) {
            try {
                return new Token(Type.INTEGER, start, pos, Long.parseLong(text));
            } catch (NumberFormatException tooBig) {
                // Above the int64 range: keep the magnitude as a double.
            }
        }
        return new Token(Type.DECIMAL, start, pos, Double.parseDouble(text));
    }

    private void digits() {
        while (pos < src.length() && isDigit(src.charAt(pos))) {
            pos++;
        }
    }

    private Token rawString(int start, char quote) {
        int close = src.indexOf(quote, pos + 1);
        if (close < 0) {
            throw error(start, "closing " + quote, "end of input");
        }
        byte[] bytes = src.substring(pos + 1, close).getBytes(StandardCharsets.UTF_8);
        pos = close + 1;
        return new Token(Type.STRING, start, pos, bytes);
    }

    private Token string(int start, char quote) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder run = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= src.length()) {
                throw error(start, "closing " + quote, "end of input");
            }
            char c = src.charAt(pos);
            if (c == quote) {
                pos++;
                flush(run, out);
                return new Token(Type.STRING, start, pos, out.toByteArray());
            }
            if (c != '\\') {
                run.append(c);
                pos++;
                continue;
            }
            if (pos + 1 >= src.length()) {
                throw error(pos, "an escape sequence", "end of input");
            }
            char e = src.charAt(pos + 1);
            int escapeStart = pos;
            pos += 2;
            switch (e) {
                case 'n' -> run.append('\n');
                case 't' -> run.append('\t');
                case 'r' -> run.append('\r');
                case 'b' -> run.append('\b');
                case 'f' -> run.append('\f');
                case '\\', '\'', '"', '/' -> run.append(e);
                case 'x' -> {
                    int hi = pos < src.length() ? Character.digit(src.charAt(pos), 16) : -1;
                    int lo = pos + 1 < src.length() ? Character.digit(src.charAt(pos + 1), 16) : -1;
                    if (hi < 0 || lo < 0) {
                        throw error(escapeStart, "two hex digits after \\x", "'" + src.substring(escapeStart,
                                Math.min(src.length(), escapeStart + 4)) + "'");
                    }
                    pos += 2;
                    flush(run, out);
                    out.write(hi * 16 + lo);
                }
                default -> {
                    if (e < '0' || e > '7') {
                        throw error(escapeStart, "an escape sequence (\\n \\t \\r \\b \\f \\\\ \\' \\\" \\xHH \\OOO)",
                                "'\\" + e + "'");
                    }
                    int value = e - '0';
                    for (int i = 0; i < 2 && pos < src.length() && src.charAt(pos) >= '0' && src.charAt(pos) <= '7'; i++) {
                        value = value * 8 + (src.charAt(pos++) - '0');
                    }
                    flush(run, out);
                    out.write(value & 0xFF);
                }
            }
        }
    }

    private static void flush(StringBuilder run, ByteArrayOutputStream out) {
        if (run.length() > 0) {
            out.writeBytes(run.toString().getBytes(StandardCharsets.UTF_8));
            run.setLength(0);
        }
    }

    private Token path() {
        int start = pos;
        List<PathSpec.Segment> segments = new ArrayList<>();
        do {
            pos++; // the '/'
            int nameStart = pos;
            while (pos < src.length() && isNameChar(src.charAt(pos))) {
                pos++;
            }
            if (pos == nameStart) {
                throw error(nameStart, "a field name after '/'", pos < src.length() ? "'" + src.charAt(pos) + "'" : "end of input");
            }
            byte[] name = src.substring(nameStart, pos).getBytes(StandardCharsets.UTF_8);
            List<Integer> indexes = new ArrayList<>();
            while (pos < src.length() && src.charAt(pos) == '[') {
                indexes.add(index());
            }
            segments.add(new PathSpec.Segment(name, toArray(indexes)));
        } while (pos + 1 < src.length() && src.charAt(pos) == '/' && isNameChar(src.charAt(pos + 1)));
        return new Token(Type.PATH, start, pos, new PathSpec(segments, PathSpec.canonical(segments)));
    }

    /**
     * Lexes {@code [/any name/with spaces-or-dashes]}, optionally followed by array indexes that
     * apply to its last segment.
     */
    private Token bracketedPath() {
        int start = pos;
        int close = src.indexOf(']', pos);
        if (pos + 1 >= src.length() || src.charAt(pos + 1) != '/' || close < 0) {
            throw error(start, "a field path like [/a b/c]", close < 0 ? "'[' without ']'" : "'" + src.substring(start, close + 1) + "'");
        }
        List<PathSpec.Segment> segments = new ArrayList<>();
        int segmentStart = pos + 2;
        for (int i = segmentStart; i <= close; i++) {
            if (i == close || src.charAt(i) == '/') {
                if (i == segmentStart) {
                    throw error(i, "a field name after '/'", "'" + src.charAt(i) + "'");
                }
                segments.add(new PathSpec.Segment(src.substring(segmentStart, i).getBytes(StandardCharsets.UTF_8), new int[0]));
                segmentStart = i + 1;
            }
        }
        pos = close + 1;
        List<Integer> indexes = new ArrayList<>();
        while (pos < src.length() && src.charAt(pos) == '[') {
            indexes.add(index());
        }
        PathSpec.Segment last = segments.remove(segments.size() - 1);
        segments.add(new PathSpec.Segment(last.name(), toArray(indexes)));
        return new Token(Type.PATH, start, pos, new PathSpec(segments, PathSpec.canonical(segments)));
    }

    private static int[] toArray(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private int index() {
        int open = pos;
        pos++;
        int digitsStart = pos;
        digits();
        if (pos == digitsStart || pos - digitsStart > 9 || pos >= src.length() || src.charAt(pos) != ']') {
            throw error(open, "an array index like [0]", "'" + src.substring(open, Math.min(src.length(), pos + 1)) + "'");
        }
        int value = Integer.parseInt(src.substring(digitsStart, pos));
        pos++;
        return value;
    }

    static FilterSyntaxException error(int position, String expected, String found) {
        return new FilterSyntaxException(position, expected, found);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isWordStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    static boolean isNameChar(char c) {
        return isWordStart(c) || isDigit(c) || c == '@' || c == '.' || c == '$' || c == ':'
                || (c >= 0x80 && !Character.isWhitespace(c));
    }
}
