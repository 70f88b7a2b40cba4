package dev.farad.server.internal;

import com.google.re2j.Pattern;
import dev.farad.filter.Filter;
import dev.farad.protocol.Command;
import dev.farad.protocol.Header;
import dev.farad.protocol.Reason;
import dev.farad.server.BrokerConfig;
import dev.farad.server.PasswordFileAuthenticator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which topics each user may read and write, from the users file (see {@link UsersFile}). Without
 * a users file every user may do everything, and {@link #forUser} returns {@code null}.
 *
 * <p>Checks happen in three places on the engine thread:
 * <ul>
 *   <li>{@link #check} refuses a command on a concrete topic outside the user's grants with
 *       {@code not entitled};</li>
 *   <li>for a concrete topic, {@link #restrict} ANDs the read grant's filter into the
 *       subscription's or query's own filter, once, when it is made;</li>
 *   <li>a command on a regular expression is accepted, and every concrete topic it reaches is
 *       checked with {@link Access#read} when a message is delivered, a query scans it or a delete
 *       touches it. Answers are cached per user and topic.</li>
 * </ul>
 *
 * <p>Engine thread only.
 */
final class Entitlements {
    private static final Logger log = LoggerFactory.getLogger("dev.farad.server.Entitlements");
    /** The read answer for a topic the user may not read. */
    static final MessageFilter DENY = (d, o, l) -> false;
    /** The read answer for a topic the user may read without a filter. */
    static final MessageFilter ALLOW = (d, o, l) -> true;
    private static final int MAX_CACHED_TOPICS = 64 * 1024;

    private final UsersFile users;
    private final Map<String, Access> byUser = new HashMap<>();

    private Entitlements(UsersFile users) {
        this.users = users;
    }

    /** The entitlements that go with {@code config}: its users file's, or none at all. */
    static Entitlements forConfig(BrokerConfig config) {
        if (config.authenticator() instanceof PasswordFileAuthenticator p) {
            return new Entitlements(p.users());
        }
        return new Entitlements(config.usersFile() == null ? null : UsersFile.load(config.usersFile()));
    }

    /** The access of a logged-on user, or {@code null} when there is no users file (no limits). */
    Access forUser(String user) {
        if (users == null) {
            return null;
        }
        return byUser.computeIfAbsent(user == null ? "" : user, u -> new Access(u, users.grants(u)));
    }

    /**
     * The gate in front of every command: {@code null} when {@code h} may go on (possibly to be
     * narrowed later), else the failure reason.
     */
    static String check(Access a, Header h) {
        if (a == null || h.topic() == null || h.topic().isEmpty()) {
            return null;
        }
        String topic = h.topic();
        boolean regex = TopicNames.isRegex(topic) && !TopicNames.hasOption(h.options(), "non_regex_topic");
        boolean allowed = switch (h.command()) {
            case PUBLISH, DELTA_PUBLISH -> a.mayWrite(topic);
            case SOW_DELETE -> regex || a.mayWrite(topic);
            case SUBSCRIBE, DELTA_SUBSCRIBE, SOW, SOW_AND_SUBSCRIBE, SOW_AND_DELTA_SUBSCRIBE ->
                    regex || a.read(topic) != DENY;
            default -> true;
        };
        if (!allowed) {
            log.info("user '{}' is not entitled to {} on '{}'", a.user, h.commandName(), topic);
            return Reason.NOT_ENTITLED;
        }
        return null;
    }

    /**
     * The filter a subscription or query on a concrete topic runs with: its own ANDed with the
     * read grant's. Regex subscriptions are narrowed per topic at delivery instead.
     */
    static MessageFilter restrict(Access a, String topic, boolean regex, MessageFilter own) {
        if (a == null || regex) {
            return own;
        }
        MessageFilter grant = a.read(topic);
        if (grant == ALLOW) {
            return own;
        }
        if (own == null) {
            return grant;
        }
        return (d, o, l) -> own.matches(d, o, l) && grant.matches(d, o, l);
    }

    /**
     * Whether {@code s} may see {@code data} on {@code topic}: always for concrete-topic
     * subscriptions (their filter already carries the grant), per topic for regex ones.
     */
    static boolean mayRead(Subscription s, String topic, byte[] data, int offset, int length) {
        Access a = s.connection.access;
        if (a == null || s.pattern == null) {
            return true;
        }
        MessageFilter g = a.read(topic);
        return g == ALLOW || g != DENY && g.matches(data, offset, length);
    }

    /** One user's grants, compiled, with per-topic answers cached. */
    static final class Access {
        final String user;
        private final List<Pattern> reads = new ArrayList<>();
        /** Parallel to {@link #reads}; {@code null} where the grant has no filter. */
        private final List<MessageFilter> readFilters = new ArrayList<>();
        private final List<Pattern> writes = new ArrayList<>();
        private final Map<String, MessageFilter> readCache = new HashMap<>();
        private final Map<String, Boolean> writeCache = new HashMap<>();

        Access(String user, List<UsersFile.Grant> grants) {
            this.user = user;
            for (UsersFile.Grant g : grants) {
                Pattern p = Pattern.compile(g.topicRegex());
                if (g.write()) {
                    writes.add(p);
                } else {
                    reads.add(p);
                    if (g.filter() == null) {
                        readFilters.add(null);
                    } else {
                        Filter f = UsersFile.compileGrantFilter(g.filter());
                        readFilters.add(f::matches);
                    }
                }
            }
        }

        /** {@link #DENY}, {@link #ALLOW}, or the filter messages on {@code topic} must pass. */
        MessageFilter read(String topic) {
            MessageFilter cached = readCache.get(topic);
            if (cached != null) {
                return cached;
            }
            List<MessageFilter> any = new ArrayList<>();
            MessageFilter result = DENY;
            for (int i = 0; i < reads.size(); i++) {
                if (reads.get(i).matches(topic)) {
                    MessageFilter f = readFilters.get(i);
                    if (f == null) {
                        result = ALLOW;
                        break;
                    }
                    any.add(f);
                }
            }
            if (result != ALLOW && !any.isEmpty()) {
                // Several grants cover the topic: a message visible through any of them is visible.
                result = any.size() == 1 ? any.get(0) : (d, o, l) -> {
                    for (MessageFilter f : any) {
                        if (f.matches(d, o, l)) {
                            return true;
                        }
                    }
                    return false;
                };
            }
            if (readCache.size() >= MAX_CACHED_TOPICS) {
                readCache.clear();
            }
            readCache.put(topic, result);
            return result;
        }

        boolean mayWrite(String topic) {
            Boolean cached = writeCache.get(topic);
            if (cached != null) {
                return cached;
            }
            boolean ok = false;
            for (Pattern p : writes) {
                if (p.matches(topic)) {
                    ok = true;
                    break;
                }
            }
            if (writeCache.size() >= MAX_CACHED_TOPICS) {
                writeCache.clear();
            }
            writeCache.put(topic, ok);
            return ok;
        }
    }
}
