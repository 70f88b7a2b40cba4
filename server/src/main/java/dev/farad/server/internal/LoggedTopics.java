package dev.farad.server.internal;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which topics go to the transaction log: a topic is logged when it equals a configured name, or
 * when a configured regular expression matches the whole name. Answers are cached per topic.
 *
 * <p>Not thread-safe: confined to the engine thread.
 */
final class LoggedTopics {
    private final Set<String> names = new HashSet<>();
    private final List<Pattern> patterns = new ArrayList<>();
    private final Map<String, Boolean> cache = new HashMap<>();

    LoggedTopics(List<String> configured) {
        for (String t : configured) {
            if (TopicNames.isRegex(t)) {
                patterns.add(Pattern.compile(t));
            } else {
                names.add(t);
            }
        }
    }

    boolean matches(String topic) {
        if (names.contains(topic)) {
            return true;
        }
        if (patterns.isEmpty()) {
            return false;
        }
        Boolean known = cache.get(topic);
        if (known != null) {
            return known;
        }
        boolean logged = false;
        for (Pattern p : patterns) {
            if (p.matches(topic)) {
                logged = true;
                break;
            }
        }
        if (cache.size() > TopicIndex.MAX_CACHED_TOPICS) {
            cache.clear();
        }
        cache.put(topic, logged);
        return logged;
    }
}
