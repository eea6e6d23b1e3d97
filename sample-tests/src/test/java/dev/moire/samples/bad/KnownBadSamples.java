package dev.moire.samples.bad;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.moire.model.findings.FindingKind;
import dev.moire.runtime.DeadlockDetectedError;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/** The known-bad samples, and what counts as each failing the expected way. */
public final class KnownBadSamples {
  private KnownBadSamples() {}

  /** Every known-bad sample of this build (the virtual-thread one exists on JDK 21 and later). */
  public static List<Class<?>> all() {
    List<Class<?>> out =
        new ArrayList<>(
            List.of(
                BatchedReceiptsSample.class,
                ChannelFullStallSample.class,
                LockOrderInversionSample.class,
                LostOneshotSample.class,
                ConnectionPoolStarvationSample.class,
                ReadLockUpgradeSample.class,
                SelfSubmittingPoolSample.class,
                ForgottenLatchSample.class,
                // Twins in plain JDK code, seen through the JVM's own evidence.
                PlainSynchronizedInversionSample.class,
                PlainReentrantLockInversionSample.class,
                PlainForgottenLatchSample.class,
                PlainReadLockUpgradeSample.class,
                PlainConnectionPoolStarvationSample.class));
    try {
      out.add(Class.forName("dev.moire.samples.bad.VirtualThreadDeadlockSample"));
    } catch (ClassNotFoundException e) {
      // built on JDK 17: no virtual threads
    }
    return out;
  }

  /**
   * Runs one sample (of one test) through the test kit, with its store and report in {@code dir};
   * returns how it ended, timed from the test's start to its end as the kit reported them.
   *
   * @throws AssertionError if the sample did not run exactly one test
   */
  public static Outcome run(Class<?> sample, Path dir) {
    EngineExecutionResults results =
        EngineTestKit.engine("junit-jupiter")
            .configurationParameter("moire.store", dir.resolve("moire.db").toString())
            .configurationParameter("moire.report.dir", dir.resolve("report").toString())
            .selectors(selectClass(sample))
            .execute();
    List<Event> events = results.testEvents().list();
    List<Event> finished = events.stream().filter(e -> e.getType() == EventType.FINISHED).toList();
    if (finished.size() != 1) {
      throw new AssertionError(sample.getSimpleName() + " ran " + finished.size() + " tests");
    }
    Event end = finished.get(0);
    Event start =
        events.stream().filter(e -> e.getType() == EventType.STARTED).findFirst().orElseThrow();
    return new Outcome(
        sample,
        end.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable),
        Duration.between(start.getTimestamp(), end.getTimestamp()));
  }

  /** The first line of the failure message a finding of this kind starts with. */
  public static String headline(FindingKind kind) {
    return switch (kind) {
      case DEADLOCK_CYCLE -> "moire found a deadlock: ";
      case LOST_SENDER -> "moire found a lost sender: ";
      case GLOBAL_STALL -> "moire found a stall: ";
      default -> throw new IllegalArgumentException("no sample fails with " + kind);
    };
  }

  /** How one sample ended. */
  public record Outcome(Class<?> sample, Optional<Throwable> failure, Duration took) {
    public KnownBad expected() {
      return sample.getAnnotation(KnownBad.class);
    }

    public boolean asExpected() {
      return failure.isPresent()
          && failure.get() instanceof DeadlockDetectedError
          && failure.get().getMessage().startsWith(headline(expected().finding()));
    }

    public String firstLine() {
      return failure
          .map(t -> String.valueOf(t.getMessage()).lines().findFirst().orElse(""))
          .orElse("(it passed)");
    }
  }
}
