package dev.moire.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/** Without moire-agent, a run says once how to attach it; never when told not to. */
@Isolated // swaps System.err
class AgentHintTest {
  @TempDir Path dir;

  @MoireTracked
  static class TwoTrackedTestsTestCase {
    @Test
    void one() {}

    @Test
    void two() {}
  }

  @MoireTracked
  static class OneTrackedTestTestCase {
    @Test
    void one() {}
  }

  @Test
  void withoutTheAgent_aRunSaysOnceHowToAttachIt() {
    assertThat(System.getProperty(AgentHint.AGENT_PROPERTY)).isNull(); // this module's tests
    String err = stderrOf(() -> Kit.run(dir, selectClass(TwoTrackedTestsTestCase.class)));
    assertThat(err.split(java.util.regex.Pattern.quote(AgentHint.TEXT), -1)).hasSize(2);
    assertThat(AgentHint.TEXT)
        .contains("-javaagent:${dev.moire:moire-agent:jar}")
        .contains("moire.agent.hint=false");
    // A second run says it again: once per run, not once per JVM.
    assertThat(stderrOf(() -> Kit.run(dir, selectClass(TwoTrackedTestsTestCase.class))))
        .contains(AgentHint.TEXT);
  }

  @Test
  void theHint_canBeSilenced() {
    String err =
        stderrOf(
            () ->
                Kit.run(
                    dir, selectClass(TwoTrackedTestsTestCase.class), AgentHint.PARAMETER, "false"));
    assertThat(err).doesNotContain(AgentHint.TEXT);
  }

  @Test
  void aHintSettingThatIsNotABoolean_failsNamingIt() {
    var results =
        Kit.run(dir, selectClass(OneTrackedTestTestCase.class), AgentHint.PARAMETER, "nope");
    assertThat(Kit.onlyFailure(results))
        .hasMessage("configuration parameter moire.agent.hint=nope is not true or false");
  }

  private static String stderrOf(Runnable run) {
    PrintStream saved = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      run.run();
    } finally {
      System.setErr(saved);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
