package dev.farad.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TopicNamesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "orders          | false | ",
        "orders.eu       | false | ",
        "caf\u00e9       | false | ",
        "orders.*        | true  | a publish must name one topic, not a pattern",
        "^orders$        | true  | a publish must name one topic, not a pattern",
        "a(b)            | true  | a publish must name one topic, not a pattern",
        "a\\b            | true  | a publish must name one topic, not a pattern",
        "a\u0001b        | false | topic contains a control character",
        "a\u007fb        | false | topic contains a control character",
        "a\u0085b        | false | topic contains a control character",
        "a\u0001b*       | true  | a publish must name one topic, not a pattern",
    })
    void shouldTellPatternsAndBadTopicsFromPublishableOnes(String topic, boolean regex, String problem) {
        assertThat(TopicNames.isRegex(topic)).isEqualTo(regex);
        assertThat(TopicNames.publishProblem(topic)).isEqualTo(problem);
    }
}
