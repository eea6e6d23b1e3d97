package dev.moire.samples.bad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.runtime.DeadlockDetectedError;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every known-bad sample fails, quickly, with the expected finding, at default settings: run
 * through the test kit, so the normal build checks them without failing itself.
 */
final class KnownBadSamplesTest {
  @TempDir Path dir;

  static Stream<Class<?>> samples() {
    return KnownBadSamples.all().stream();
  }

  @ParameterizedTest
  @MethodSource("samples")
  @Timeout(60)
  void fails_quickly_withTheExpectedFinding(Class<?> sample) {
    KnownBadSamples.Outcome outcome = KnownBadSamples.run(sample, dir);
    assertThat(outcome.failure()).as("the failure of %s", sample.getSimpleName()).isPresent();
    Throwable t = outcome.failure().get();
    assertThat(t).isInstanceOf(DeadlockDetectedError.class);
    assertThat(t.getMessage())
        .startsWith(KnownBadSamples.headline(outcome.expected().finding()))
        .contains("moire report: ");
    assertThat(outcome.asExpected()).isTrue();
    // Each sample's @Timeout is 10 s; moire must fail it well before.
    assertThat(outcome.took()).isLessThan(Duration.ofSeconds(3));
    if (sample.getSimpleName().startsWith("Plain")) {
      placesEveryWaitAtTheUsersLine(sample, outcome.firstLine());
    }
  }

  /**
   * A plain-JDK twin's explanation places every wait and hold at the sample's own lines, never at a
   * JDK frame ({@code ReentrantLock.java}, {@code AbstractQueuedSynchronizer.java}...), and names
   * the holder of every lock whose owner the JVM knows.
   */
  private static void placesEveryWaitAtTheUsersLine(Class<?> sample, String explanation) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("([A-Za-z0-9_$]+\\.java):\\d+").matcher(explanation);
    int places = 0;
    while (m.find()) {
      assertThat(m.group(1))
          .as("a place in: %s", explanation)
          .isEqualTo(sample.getSimpleName() + ".java");
      places++;
    }
    assertThat(places).as("places in: %s", explanation).isPositive();
    if (explanation.contains("monitor ") || explanation.contains("ReentrantLock@")) {
      assertThat(explanation).contains("held by ");
    }
  }
}
