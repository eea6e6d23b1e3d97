package dev.moire.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The lines of {@code synchronized} statements, read from class files: where a thread blocked
 * entering a monitor waits (the JVM shows the first line inside the block) and where a monitor's
 * owner took it (the JVM shows where its frame is now).
 */
final class MonitorLinesTest {
  /** Shapes of {@code synchronized} code; the markers name lines for the assertions. */
  @SuppressWarnings("unused")
  static final class Shapes {
    private final Object a = new Object();
    private final Object b = new Object();
    private int n;

    void nested() {
      synchronized (a) { // NESTED-OUTER
        n++;
        synchronized (b) { // NESTED-INNER
          n++; // NESTED-INSIDE
        }
      }
    }

    int leavesEarly(boolean early) {
      synchronized (a) { // EARLY-TAKES
        if (early) {
          return 1;
        }
        try {
          n++;
        } finally {
          n--;
        }
        synchronized (b) { // EARLY-INNER
          n++; // EARLY-INSIDE
        }
      }
      return 0;
    }

    synchronized void whole() {
      n++; // WHOLE-FIRST
      synchronized (b) { // WHOLE-INNER
        n++; // WHOLE-INSIDE
      }
    }

    void overloaded() {
      synchronized (a) { // OVERLOAD-1
        n++;
      }
    }

    void overloaded(int k) {
      synchronized (a) { // OVERLOAD-2
        n += k; // OVERLOAD-2-INSIDE
      }
    }

    void sideBySide() {
      synchronized (a) {
        n++;
      }
      synchronized (b) {
        n++;
      } // SIDE
    }
  }

  private static int line(String marker) throws IOException {
    List<String> lines =
        Files.readAllLines(
            Path.of("src/test/java/dev/moire/runtime/internal/MonitorLinesTest.java"));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).endsWith("// " + marker)) {
        return i + 1;
      }
    }
    throw new AssertionError("no line marked " + marker);
  }

  private static StackTraceElement at(String method, String marker) throws IOException {
    return new StackTraceElement(
        Shapes.class.getName(), method, "MonitorLinesTest.java", line(marker));
  }

  @Test
  void aThreadBlockedEnteringABlock_isPlacedAtItsSynchronizedStatement() throws IOException {
    assertThat(MonitorLines.entering(at("nested", "NESTED-INSIDE"), null))
        .hasValue(line("NESTED-INNER"));
    assertThat(MonitorLines.entering(at("leavesEarly", "EARLY-INSIDE"), null))
        .hasValue(line("EARLY-INNER"));
  }

  @Test
  void aMonitorHeldByAFrame_isPlacedWhereTheFrameTookIt() throws IOException {
    // Blocked entering the inner block: the outer one is held, taken at its own statement.
    assertThat(MonitorLines.taken(at("nested", "NESTED-INSIDE"), null, 1, true))
        .containsExactly(line("NESTED-OUTER"));
    // Inside both: innermost first.
    assertThat(MonitorLines.taken(at("nested", "NESTED-INSIDE"), null, 2, false))
        .containsExactly(line("NESTED-INNER"), line("NESTED-OUTER"));
    // A block left early by a return is guarded in pieces; the later piece is still the block's.
    assertThat(MonitorLines.taken(at("leavesEarly", "EARLY-INSIDE"), null, 1, true))
        .containsExactly(line("EARLY-TAKES"));
    // A synchronized method took its monitor on entry: its first line.
    assertThat(MonitorLines.taken(at("whole", "WHOLE-INSIDE"), null, 1, true))
        .containsExactly(line("WHOLE-FIRST"));
  }

  @Test
  void overloads_areToldApartByTheirLines() throws IOException {
    assertThat(MonitorLines.taken(at("overloaded", "OVERLOAD-2-INSIDE"), null, 1, false))
        .containsExactly(line("OVERLOAD-2"));
  }

  @Test
  void anythingInDoubt_givesNoAnswer_andTheJvmsLineStands() throws IOException {
    // Two blocks begin on one line: which one it waits to enter, no line can say.
    assertThat(MonitorLines.entering(at("sideBySide", "SIDE"), null))
        .isEqualTo(OptionalInt.empty());
    // More monitors than the frame has blocks around its line.
    assertThat(MonitorLines.taken(at("nested", "NESTED-INSIDE"), null, 3, false)).isEmpty();
    // A class whose file cannot be found, a method that is not there, a native frame.
    assertThat(
            MonitorLines.taken(
                new StackTraceElement("no.such.Clazz", "run", "Clazz.java", 3), null, 1, false))
        .isEmpty();
    assertThat(MonitorLines.taken(at("noSuchMethod", "NESTED-INSIDE"), null, 1, false)).isEmpty();
    assertThat(
            MonitorLines.entering(
                new StackTraceElement(Shapes.class.getName(), "nested", null, -2), null))
        .isEqualTo(OptionalInt.empty());
  }

  @Test
  void aJdkClass_isReadToo() {
    // The JDK's own class files come from its runtime image through the system loader.
    assertThat(
            MonitorLines.entering(
                new StackTraceElement("java.lang.Thread", "join", "Thread.java", 1), null))
        .isEqualTo(OptionalInt.empty());
  }
}
