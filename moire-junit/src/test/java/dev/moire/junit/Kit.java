package dev.moire.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs {@code ...TestCase} fixtures through the JUnit test kit, storing into a test's directory.
 */
final class Kit {
  private Kit() {}

  /** Runs the selected fixtures with the store and report in {@code dir}, and extra parameters. */
  static EngineExecutionResults run(Path dir, DiscoverySelector selector, String... params) {
    EngineTestKit.Builder kit =
        EngineTestKit.engine("junit-jupiter")
            .configurationParameter("moire.store", dir.resolve("moire.db").toString())
            .configurationParameter("moire.report.dir", dir.resolve("report").toString())
            .selectors(selector);
    for (int i = 0; i < params.length; i += 2) {
      kit.configurationParameter(params[i], params[i + 1]);
    }
    return kit.execute();
  }

  /**
   * Returns how long the first test whose display name starts with {@code method} took, from its
   * start to its end as the test kit reported them.
   */
  static java.time.Duration durationOf(EngineExecutionResults results, String method) {
    List<Event> events =
        results.testEvents().list().stream()
            .filter(e -> e.getTestDescriptor().getDisplayName().startsWith(method))
            .toList();
    return java.time.Duration.between(
        timeOf(events, org.junit.platform.testkit.engine.EventType.STARTED),
        timeOf(events, org.junit.platform.testkit.engine.EventType.FINISHED));
  }

  private static java.time.Instant timeOf(
      List<Event> events, org.junit.platform.testkit.engine.EventType type) {
    return events.stream()
        .filter(e -> e.getType() == type)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " event"))
        .getTimestamp();
  }

  /** Returns what the only failed test threw, asserting there was exactly one. */
  static Throwable onlyFailure(EngineExecutionResults results) {
    List<Event> failed = results.testEvents().failed().list();
    assertThat(failed).hasSize(1);
    return failed
        .get(0)
        .getPayload(TestExecutionResult.class)
        .flatMap(TestExecutionResult::getThrowable)
        .orElseThrow();
  }

  /** The line of a test source file (under the module) that carries {@code marker} in a comment. */
  static int lineOf(String file, String marker) {
    try {
      List<String> lines = java.nio.file.Files.readAllLines(Path.of(file));
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains("// " + marker)) {
          return i + 1;
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new AssertionError("no line of " + file + " is marked " + marker);
  }
}
