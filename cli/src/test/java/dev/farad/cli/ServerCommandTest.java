package dev.farad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerCommandTest {

    @Test
    void shouldReportUnreadableConfigFileInOneLineAndExitNonZero(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cl = Farad.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("server", "--config", dir.resolve("missing.properties").toString());
        assertThat(code).isNotZero();
        assertThat(err.toString()).startsWith("farad server: cannot read config file").hasLineCount(1);
    }

    @Test
    void shouldReportBadConfigKeyNamingIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("farad.properties");
        Files.writeString(file, "port=notanumber\n");
        StringWriter err = new StringWriter();
        CommandLine cl = Farad.commandLine();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("server", "--config", file.toString())).isNotZero();
        assertThat(err.toString()).contains("key 'port'").contains("notanumber");
    }

    @Test
    void shouldPrintUsageWithoutSubcommand() {
        StringWriter out = new StringWriter();
        CommandLine cl = Farad.commandLine();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute()).isZero();
        assertThat(out.toString()).contains("server");
    }
}
