package dev.farad.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farad.client.exceptions.CommandException;
import dev.farad.client.exceptions.ConnectionException;
import dev.farad.client.exceptions.FaradException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FailureMappingTest {

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            auth failure                  | AuthenticationException
            bad filter                    | BadFilterException
            bad sow key                   | BadSowKeyException
            bad regex topic               | BadRegexTopicException
            regex topic not supported     | BadRegexTopicException
            duplicate logon attempt       | DuplicateLogonException
            invalid bookmark              | InvalidBookmarkException
            invalid message type          | CommandException
            invalid options               | InvalidOptionsException
            invalid order by              | InvalidOrderByException
            invalid subid                 | InvalidSubIdException
            invalid topic                 | InvalidTopicException
            invalid topic or filter       | InvalidTopicException
            logon required                | LogonRequiredException
            name in use                   | NameInUseException
            not entitled                  | NotEntitledException
            no filter or bookmark         | MissingFieldsException
            no client name                | MissingFieldsException
            no topic or filter            | MissingFieldsException
            no topic                      | MissingFieldsException
            orderby required              | MissingFieldsException
            not supported                 | CommandException
            orderby too large             | CommandException
            txn replay failed             | CommandException
            subid in use                  | SubidInUseException
            sow store failed              | PublishException
            tx store failure              | PublishException
            subscription already exists   | SubscriptionAlreadyExistsException
            unknown command               | CommandException
            something new                 | CommandException
            bad filter: unexpected ')' at 7 | BadFilterException
            invalid topic: topic 'a' has no State of the World | InvalidTopicException
            bad regex topic: Unclosed character class | BadRegexTopicException
            """)
    void shouldMapFailureReasonToExceptionType(String reason, String expected) {
        FaradException e = FailureMapping.exceptionFor("subscribe", "orders", "7", reason);
        assertThat(e.getClass().getSimpleName()).isEqualTo(expected);
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e).hasMessageContaining("subscribe").hasMessageContaining("'orders'")
                .hasMessageContaining("7").hasMessageContaining(reason);
    }

    @Test
    void shouldPutCommandFailuresUnderCommandExceptionWithTheirCommandId() {
        FaradException e = FailureMapping.exceptionFor("sow", "t", "42", "bad filter");
        assertThat(e).isInstanceOf(CommandException.class);
        assertThat(((CommandException) e).commandId()).isEqualTo("42");
    }

    @Test
    void shouldPutLogonFailuresUnderConnectionException() {
        assertThat(FailureMapping.exceptionFor("logon", null, "1", "auth failure"))
                .isInstanceOf(ConnectionException.class);
        assertThat(FailureMapping.exceptionFor("logon", null, "1", "name in use"))
                .isInstanceOf(ConnectionException.class);
        assertThat(FailureMapping.exceptionFor("publish", "t", null, "not entitled"))
                .isInstanceOf(ConnectionException.class);
    }

    @Test
    void shouldDescribeUnknownReasonAsErrorFromServer() {
        assertThat(FailureMapping.exceptionFor("publish", "t", null, "weird"))
                .hasMessageContaining("error from server while processing this command: 'weird'");
    }
}
