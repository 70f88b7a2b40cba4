package dev.farad.filter.internal;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.farad.filter.FilterLimits;
import dev.farad.filter.FilterSyntaxException;
import dev.farad.filter.internal.Lexer.Token;
import dev.farad.filter.internal.Lexer.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recursive-descent parser from filter text to a tree of {@link Expr} nodes, following the
 * grammar in {@code docs/FILTER.md}:
 *
 * <pre>
 * or        = and { OR and }
 * and       = not { AND not }
 * not       = NOT not | predicate
 * predicate = sum [ compare-op sum | [NOT] BETWEEN sum AND sum | [NOT] IN list
 *                 | [NOT] LIKE string | [NOT] (BEGINS | ENDS) WITH list | IS [NOT] NULL ]
 * sum       = product { (+ | -) product }
 * product   = unary { (* | / | % | MOD) unary }
 * unary     = (- | +) unary | primary
 * primary   = path | literal | function list | ( or )
 * </pre>
 *
 * <p>Not thread-safe; one instance per compilation.
 */
final class Parser {

    private static final String OPERAND = "an operand (field path, literal, function call or '(')";

    private final Lexer lexer;
    private final FilterLimits limits;
    private final Map<String, Integer> slots = new LinkedHashMap<>();
    private final PathNode root = new PathNode();
    private Token token;
    private int depth;
    private int registers;

    private Parser(String expression, FilterLimits limits) {
        this.lexer = new Lexer(expression);
        this.limits = limits;
    }

    /** Parses and compiles {@code expression}. */
    static CompiledFilter compile(String expression, FilterLimits limits) {
        if (expression.length() > limits.maxLength()) {
            throw new FilterSyntaxException(limits.maxLength(), "at most " + limits.maxLength() + " characters",
                    expression.length() + " characters");
        }
        Parser parser = new Parser(expression, limits);
        parser.advance();
        Expr tree = parser.or(0);
        if (parser.token.type() != Type.EOF) {
            throw parser.unexpected("AND, OR or end of input");
        }
        return new CompiledFilter(tree, parser.root, parser.slots.keySet(), parser.registers);
    }

    /** Parses a single field path such as {@code /a/b[0]}. */
    static PathSpec path(String text) {
        Lexer lexer = new Lexer(text);
        Token t = lexer.next();
        if (t.type() != Type.PATH) {
            throw new FilterSyntaxException(t.start(), "a field path like /a/b", lexer.describe(t));
        }
        Token rest = lexer.next();
        if (rest.type() != Type.EOF) {
            throw new FilterSyntaxException(rest.start(), "end of path", lexer.describe(rest));
        }
        return (PathSpec) t.value();
    }

    private void advance() {
        token = lexer.next();
    }

    private int register() {
        return registers++;
    }

    private boolean atWord(String word) {
        return token.type() == Type.WORD && lexer.text(token).equalsIgnoreCase(word);
    }

    private void expectWord(String word) {
        if (!atWord(word)) {
            throw unexpected(word);
        }
        advance();
    }

    private void expect(Type type, String description) {
        if (token.type() != type) {
            throw unexpected(description);
        }
        advance();
    }

    private FilterSyntaxException unexpected(String expected) {
        return new FilterSyntaxException(token.start(), expected, lexer.describe(token));
    }

    private void enter(int position) {
        if (++depth > limits.maxDepth()) {
            throw new FilterSyntaxException(position, "nesting depth at most " + limits.maxDepth(), "deeper nesting");
        }
    }

    /** Parses an OR expression, one nesting level deeper, which started at {@code position}. */
    private Expr or(int position) {
        enter(position);
        List<Expr> operands = new ArrayList<>();
        operands.add(and());
        while (atWord("OR")) {
            advance();
            operands.add(and());
        }
        depth--;
        return operands.size() == 1 ? operands.get(0) : new Logic.Junction(register(), operands, false);
    }

    private Expr and() {
        List<Expr> operands = new ArrayList<>();
        operands.add(not());
        while (atWord("AND")) {
            advance();
            operands.add(not());
        }
        return operands.size() == 1 ? operands.get(0) : new Logic.Junction(register(), operands, true);
    }

    private Expr not() {
        if (!atWord("NOT")) {
            return predicate();
        }
        enter(token.start());
        advance();
        Expr operand = not();
        depth--;
        return new Logic.Not(register(), operand);
    }

    private Expr predicate() {
        Expr left = sum();
        Predicates.Op op = comparison(token.type());
        if (op != null) {
            advance();
            return comparison(left, op, sum());
        }
        if (atWord("IS")) {
            advance();
            boolean negated = atWord("NOT");
            if (negated) {
                advance();
            }
            expectWord("NULL");
            Expr isNull = new Predicates.IsNull(register(), left);
            return negated ? new Logic.Not(register(), isNull) : isNull;
        }
        boolean negated = atWord("NOT");
        if (negated) {
            advance();
        }
        Expr p = suffixPredicate(left);
        if (p == null) {
            if (negated) {
                throw unexpected("BETWEEN, IN, LIKE, BEGINS WITH or ENDS WITH");
            }
            return left;
        }
        return negated ? new Logic.Not(register(), p) : p;
    }

    /** Parses BETWEEN, IN, LIKE, BEGINS WITH or ENDS WITH after {@code left}; null if none follows. */
    private Expr suffixPredicate(Expr left) {
        if (atWord("BETWEEN")) {
            advance();
            Expr low = sum();
            expectWord("AND");
            return new Predicates.Between(register(), left, low, sum());
        }
        if (atWord("IN")) {
            advance();
            return new Predicates.In(register(), left, list(false));
        }
        if (atWord("LIKE")) {
            advance();
            return new Predicates.Like(register(), left, regex());
        }
        if (atWord("BEGINS") || atWord("ENDS")) {
            boolean suffix = atWord("ENDS");
            advance();
            expectWord("WITH");
            return new Predicates.Affix(register(), left, list(false), suffix);
        }
        return null;
    }

    private Pattern regex() {
        Token t = token;
        if (t.type() != Type.STRING) {
            throw unexpected("a string literal with a regular expression");
        }
        String pattern = new String((byte[]) t.value(), StandardCharsets.UTF_8);
        if (pattern.length() > limits.maxRegexLength()) {
            throw new FilterSyntaxException(t.start(), "a regular expression of at most " + limits.maxRegexLength()
                    + " characters", pattern.length() + " characters");
        }
        try {
            Pattern compiled = Pattern.compile(pattern);
            advance();
            return compiled;
        } catch (PatternSyntaxException e) {
            throw new FilterSyntaxException(t.start(), "a valid regular expression (" + e.getDescription() + ")",
                    lexer.describe(t), e);
        } catch (RuntimeException | StackOverflowError e) {
            throw new FilterSyntaxException(t.start(), "a regular expression the engine accepts", lexer.describe(t), e);
        }
    }

    /** Parses {@code ( or { , or } )}, or also {@code ()} when {@code allowEmpty}. */
    private List<Expr> list(boolean allowEmpty) {
        int open = token.start();
        expect(Type.LPAREN, "'('");
        List<Expr> items = new ArrayList<>();
        if (allowEmpty && token.type() == Type.RPAREN) {
            advance();
            return items;
        }
        items.add(or(open));
        while (token.type() == Type.COMMA) {
            advance();
            items.add(or(open));
        }
        expect(Type.RPAREN, "',' or ')'");
        return items;
    }

    private Expr comparison(Expr left, Predicates.Op op, Expr right) {
        if (left instanceof Expr.Field field && right instanceof Expr.Literal literal) {
            return new Predicates.PathVersusLiteral(register(), field.slot(), field.register(), op, literal.value());
        }
        if (left instanceof Expr.Literal literal && right instanceof Expr.Field field) {
            return new Predicates.PathVersusLiteral(register(), field.slot(), field.register(),
                    Predicates.PathVersusLiteral.mirror(op), literal.value());
        }
        return new Predicates.Comparison(register(), left, op, right);
    }

    private static Predicates.Op comparison(Type type) {
        return switch (type) {
            case EQ -> Predicates.Op.EQ;
            case NE -> Predicates.Op.NE;
            case LT -> Predicates.Op.LT;
            case LE -> Predicates.Op.LE;
            case GT -> Predicates.Op.GT;
            case GE -> Predicates.Op.GE;
            default -> null;
        };
    }

    private Expr sum() {
        int saved = depth;
        Expr left = product();
        while (token.type() == Type.PLUS || token.type() == Type.MINUS) {
            Arithmetic.Op op = token.type() == Type.PLUS ? Arithmetic.Op.ADD : Arithmetic.Op.SUBTRACT;
            enter(token.start());
            advance();
            left = new Arithmetic.Binary(register(), left, op, product());
        }
        depth = saved;
        return left;
    }

    private Expr product() {
        int saved = depth;
        Expr left = unary();
        while (true) {
            Arithmetic.Op op = switch (token.type()) {
                case STAR -> Arithmetic.Op.MULTIPLY;
                case SLASH -> Arithmetic.Op.DIVIDE;
                case PERCENT -> Arithmetic.Op.MODULO;
                default -> atWord("MOD") ? Arithmetic.Op.MODULO : null;
            };
            if (op == null) {
                depth = saved;
                return left;
            }
            enter(token.start());
            advance();
            left = new Arithmetic.Binary(register(), left, op, unary());
        }
    }

    private Expr unary() {
        if (token.type() != Type.MINUS && token.type() != Type.PLUS) {
            return primary();
        }
        boolean minus = token.type() == Type.MINUS;
        enter(token.start());
        advance();
        Expr operand = unary();
        depth--;
        return minus ? new Arithmetic.Negate(register(), operand) : operand;
    }

    private Expr primary() {
        Token t = token;
        switch (t.type()) {
            case PATH:
                advance();
                return field((PathSpec) t.value());
            case STRING:
                advance();
                byte[] bytes = (byte[]) t.value();
                Value s = new Value().setBytes(bytes, 0, bytes.length);
                if (!s.isNull()) {
                    s.text();
                }
                return new Expr.Literal(s);
            case INTEGER:
                advance();
                return new Expr.Literal(new Value().setLong((Long) t.value()));
            case DECIMAL:
                advance();
                return new Expr.Literal(new Value().setDouble((Double) t.value()));
            case LPAREN:
                advance();
                Expr inner = or(t.start());
                expect(Type.RPAREN, "')'");
                return inner;
            case WORD:
                return word(t);
            default:
                throw unexpected(OPERAND);
        }
    }

    private Expr word(Token t) {
        String word = lexer.text(t);
        if (word.equalsIgnoreCase("TRUE") || word.equalsIgnoreCase("FALSE")) {
            advance();
            return new Expr.Literal(new Value().setBool(word.equalsIgnoreCase("TRUE")));
        }
        if (word.equalsIgnoreCase("NULL")) {
            advance();
            return new Expr.Literal(new Value().setNull());
        }
        Functions.Function function = Functions.Function.named(word);
        advance();
        if (function == null) {
            throw new FilterSyntaxException(t.start(), token.type() == Type.LPAREN ? "a function ("
                    + Functions.Function.names() + ")" : OPERAND, "'" + word + "'");
        }
        if (token.type() != Type.LPAREN) {
            throw unexpected("'(' after " + function.name());
        }
        enter(t.start());
        List<Expr> args = list(true);
        depth--;
        if (args.size() < function.minArgs || args.size() > function.maxArgs) {
            throw new FilterSyntaxException(t.start(), function.name() + " with " + function.arity(),
                    args.size() + " argument" + (args.size() == 1 ? "" : "s"));
        }
        return new Functions.Call(register(), function, args);
    }

    private Expr field(PathSpec path) {
        int slot = slots.computeIfAbsent(path.text(), k -> root.add(path, slots.size()));
        return new Expr.Field(slot, register());
    }
}
