package dev.farad.server.internal;

/**
 * Rules for topic names. A subscription topic that contains any regular-expression metacharacter
 * other than {@code .} is a regular expression (unanchored, RE2 syntax); a dot alone keeps a topic
 * literal, so {@code orders.eu} is a plain topic and {@code orders.*} a pattern. Publishes must
 * name a literal topic.
 */
final class TopicNames {
    private TopicNames() {}

    private static final String METACHARACTERS = "*+?[](){}|^$\\";

    static boolean isRegex(String topic) {
        for (int i = 0; i < topic.length(); i++) {
            if (METACHARACTERS.indexOf(topic.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Why {@code topic} cannot be published to, or {@code null} if it can. */
    static String publishProblem(String topic) {
        if (isRegex(topic)) {
            return "a publish must name one topic, not a pattern";
        }
        for (int i = 0; i < topic.length(); i++) {
            if (Character.isISOControl(topic.charAt(i))) {
                return "topic contains a control character";
            }
        }
        return null;
    }

    /**
     * The failure reason when {@code h} would compile its topic as a regular expression longer
     * than {@code maxRegexLength} (subscriptions, queries and deletes alike), else {@code null}.
     */
    static String regexLimitProblem(dev.farad.protocol.Header h, int maxRegexLength) {
        String topic = h.topic();
        if (topic == null || topic.length() <= maxRegexLength || h.command() == null
                || h.command().isWrite() && h.command() != dev.farad.protocol.Command.SOW_DELETE
                || !isRegex(topic) || hasOption(h.options(), "non_regex_topic")) {
            return null;
        }
        return dev.farad.protocol.Reason.BAD_REGEX_TOPIC + ": longer than " + maxRegexLength + " characters";
    }

    static boolean hasOption(String options, String option) {
        if (options == null) {
            return false;
        }
        for (String o : options.split(",")) {
            if (o.trim().equals(option)) {
                return true;
            }
        }
        return false;
    }

    /** The value of option {@code name=value} in a comma list, or {@code null} if absent. */
    static String optionValue(String options, String name) {
        if (options == null) {
            return null;
        }
        for (String o : options.split(",")) {
            String t = o.trim();
            if (t.startsWith(name + "=")) {
                return t.substring(name.length() + 1).trim();
            }
        }
        return null;
    }
}
