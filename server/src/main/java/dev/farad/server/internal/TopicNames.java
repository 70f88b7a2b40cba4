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
    /** Per ASCII character: 1 a regex metacharacter, 2 a control character; checked on every publish. */
    private static final byte[] CLASS = new byte[128];

    static {
        for (int i = 0; i < METACHARACTERS.length(); i++) {
            CLASS[METACHARACTERS.charAt(i)] = 1;
        }
        for (int c = 0; c < 0x20; c++) {
            CLASS[c] = 2;
        }
        CLASS[0x7F] = 2;
    }

    static boolean isRegex(String topic) {
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c < 128 && CLASS[c] == 1) {
                return true;
            }
        }
        return false;
    }

    /** Why {@code topic} cannot be published to, or {@code null} if it can. */
    static String publishProblem(String topic) {
        boolean control = false;
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c < 128) {
                if (CLASS[c] == 1) {
                    return "a publish must name one topic, not a pattern";
                }
                control |= CLASS[c] == 2;
            } else {
                control |= Character.isISOControl(c);
            }
        }
        return control ? "topic contains a control character" : null;
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
