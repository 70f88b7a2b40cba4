package dev.farad.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farad.testsupport.BrokerExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClientCommandsTest {
    @RegisterExtension
    static BrokerExtension broker = new BrokerExtension(
            b -> b.sowTopic(dev.farad.server.SowTopicConfig.keyed("orders", "/id")));

    record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Farad.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void shouldPrintWhatIsPublishedToMatchingRegexTopicOnePerLine() throws Exception {
        CompletableFuture<Run> sub = CompletableFuture.supplyAsync(
                () -> run("subscribe", "-u", broker.uri(), "-t", "orders.*", "--count", "2"));
        // The subscription is live once the broker has it; publish until the subscriber is done.
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.broker().connectionCount() == 1);
        assertThat(run("publish", "-u", broker.uri(), "-t", "orders.eu", "-d", "{\"qty\":1}").code()).isZero();
        assertThat(run("publish", "-u", broker.uri(), "-t", "orders.us", "-d", "{\"qty\":2}").code()).isZero();
        Run r = sub.get(10, TimeUnit.SECONDS);
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("{\"qty\":1}" + System.lineSeparator() + "{\"qty\":2}" + System.lineSeparator());
    }

    @Test
    void shouldPublishEachLineOfStandardInput() throws Exception {
        CompletableFuture<Run> sub = CompletableFuture.supplyAsync(
                () -> run("subscribe", "-u", broker.uri(), "-t", "lines", "-n", "3", "-f", "/n > 0"));
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.broker().connectionCount() == 1);
        StringWriter err = new StringWriter();
        PublishCommand cmd = new PublishCommand();
        cmd.stdin = new java.io.ByteArrayInputStream("{\"n\":0}\n{\"n\":1}\n\n{\"n\":2}\n{\"n\":3}\n".getBytes());
        CommandLine cl = new CommandLine(cmd);
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute("-u", broker.uri(), "-t", "lines")).isZero();
        assertThat(err.toString()).contains("published 4 messages");
        assertThat(sub.get(10, TimeUnit.SECONDS).out().lines()).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
    }

    @Test
    void shouldQueryAndDeleteSowRecords() {
        for (int i = 1; i <= 4; i++) {
            assertThat(run("publish", "-u", broker.uri(), "-t", "orders", "-d", "{\"id\":" + i + ",\"qty\":" + i * 100 + "}")
                    .code()).isZero();
        }
        Run q = run("sow", "-u", broker.uri(), "-t", "orders", "-f", "/qty > 100", "--orderby", "/qty DESC", "--top-n", "2");
        assertThat(q.code()).isZero();
        assertThat(q.out().lines()).containsExactly("{\"id\":4,\"qty\":400}", "{\"id\":3,\"qty\":300}");
        Run d = run("sow-delete", "-u", broker.uri(), "-t", "orders", "-f", "/qty >= 300");
        assertThat(d.code()).isZero();
        assertThat(d.out().strip()).isEqualTo("deleted 2 records");
        assertThat(run("sow", "-u", broker.uri(), "-t", "orders").out().lines()).hasSize(2);
        Run bad = run("sow", "-u", broker.uri(), "-t", "not-a-sow-topic");
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err().strip()).startsWith("farad sow: ").contains("invalid topic");
    }

    @Test
    void shouldPingBroker() {
        Run r = run("ping", "-u", broker.uri());
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("pong from " + broker.uri());
    }

    @Test
    void shouldFailWithOneLineWhenNoBrokerListens() {
        Run r = run("ping", "-u", "tcp://127.0.0.1:1/amps/json");
        assertThat(r.code()).isNotZero();
        assertThat(r.err().strip()).startsWith("farad ping: ").doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void shouldFailWithOneLineOnBadFilter() {
        Run r = run("subscribe", "-u", broker.uri(), "-t", "x", "-f", "/a = = 1");
        assertThat(r.code()).isNotZero();
        assertThat(r.err().strip()).startsWith("farad subscribe: ").contains("bad filter").doesNotContain("\n");
    }

    @Test
    void shouldFailWithOneLineOnBadUri() {
        Run r = run("publish", "-u", "nonsense", "-t", "x", "-d", "y");
        assertThat(r.code()).isNotZero();
        assertThat(r.err().strip()).startsWith("farad publish: ").doesNotContain("\n");
    }

    @Test
    void shouldFailWithOneLineWhenTheBrokerRefusesAPublish() {
        Run r = run("publish", "-u", broker.uri(), "-t", "orders.*", "-d", "{}");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("farad publish: 1 of 1 message refused by the broker: invalid topic:"
                + " a publish must name one topic, not a pattern");
    }

    @Test
    void shouldPublishWithASowKey() {
        Run r = run("publish", "-u", broker.uri(), "-t", "keyed", "-k", "k1", "-d", "{}");
        assertThat(r.code()).isZero();
        assertThat(r.err().strip()).isEqualTo("published 1 message to 'keyed'");
    }

    @Test
    void shouldFailWithOneLineOnAMistypedCommandLine() {
        Run r = run("publish", "-t", "x", "{}");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("farad publish: Unmatched argument").endsWith("(see farad publish --help)")
                .doesNotContain("\n");
        Run unknown = run("nosuch");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err().strip()).startsWith("farad: ").endsWith("(see farad --help)").doesNotContain("\n");
    }
}
